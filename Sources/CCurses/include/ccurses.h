#ifndef CAIRN_CCURSES_H
#define CAIRN_CCURSES_H

/* The one header that includes curses, so every module sees the same wide-character
 * definitions. Macros and C globals Swift cannot use directly are wrapped below. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <stdio.h>
#include <wchar.h>

static inline WINDOW *cc_stdscr(void) { return stdscr; }
static inline int cc_lines(void) { return LINES; }
static inline int cc_cols(void) { return COLS; }
static inline int cc_colors(void) { return COLORS; }
static inline int cc_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cc_a_normal(void) { return A_NORMAL; }
static inline attr_t cc_a_bold(void) { return A_BOLD; }
static inline attr_t cc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cc_a_dim(void) { return A_DIM; }
static inline int cc_key_code_yes(void) { return KEY_CODE_YES; }

/// Opens the terminal on the process's stdin/stdout with `newterm`, which returns
/// NULL on an unknown TERM instead of exiting like initscr.
SCREEN *cc_open_terminal(void);
/// Turns on mouse reports: clicks of the first button and the wheel.
void cc_enable_mouse(void);
/// Reads the mouse event after KEY_MOUSE: 1 click, 2 wheel up, 3 wheel down, 0 other; the cell in x, y.
int cc_read_mouse(int *x, int *y);
static inline int cc_key_mouse(void) { return KEY_MOUSE; }
/// Draws `count` wide characters at (y, x) with attributes and colour pair.
int cc_draw(WINDOW *window, int y, int x, const wchar_t *text, int count, attr_t attributes, short pair);

#endif
