#include "ccurses.h"

SCREEN *cc_open_terminal(void) {
    return newterm(NULL, stdout, stdin);
}

int cc_draw(WINDOW *window, int y, int x, const wchar_t *text, int count, attr_t attributes, short pair) {
    wattr_set(window, attributes, pair, NULL);
    return mvwaddnwstr(window, y, x, text, count);
}

void cc_enable_mouse(void) {
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
}

int cc_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 2;
#ifdef BUTTON5_PRESSED
    if (event.bstate & BUTTON5_PRESSED) return 3;
#endif
    return 0;
}
