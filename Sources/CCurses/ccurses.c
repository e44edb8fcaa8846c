#include "ccurses.h"

SCREEN *cc_open_terminal(void) {
    return newterm(NULL, stdout, stdin);
}

int cc_draw(WINDOW *window, int y, int x, const wchar_t *text, int count, attr_t attributes, short pair) {
    wattr_set(window, attributes, pair, NULL);
    return mvwaddnwstr(window, y, x, text, count);
}
