#ifndef TRIAGE_CNCURSESW_SHIM_H
#define TRIAGE_CNCURSESW_SHIM_H

// Wide-character ncurses: both must be defined before the header, or cchar_t and the *_wch
// functions are missing and colour pairs above 255 misbehave.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <signal.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift cannot read C globals that are macros or mutable externs under strict concurrency;
// these accessors expose the few the driver needs.
static inline WINDOW *triage_stdscr(void) { return stdscr; }
/// newterm on the process's standard output and input; NULL when TERM names no usable terminal.
static inline SCREEN *triage_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int triage_lines(void) { return LINES; }
static inline int triage_cols(void) { return COLS; }
static inline int triage_colors(void) { return COLORS; }
static inline int triage_color_pairs(void) { return COLOR_PAIRS; }
static inline int triage_err(void) { return ERR; }
static inline int triage_key_code_yes(void) { return KEY_CODE_YES; }

static inline attr_t triage_a_normal(void) { return A_NORMAL; }
static inline attr_t triage_a_bold(void) { return A_BOLD; }
static inline attr_t triage_a_reverse(void) { return A_REVERSE; }
static inline attr_t triage_a_underline(void) { return A_UNDERLINE; }
static inline attr_t triage_a_dim(void) { return A_DIM; }

static inline int triage_key_up(void) { return KEY_UP; }
static inline int triage_key_down(void) { return KEY_DOWN; }
static inline int triage_key_left(void) { return KEY_LEFT; }
static inline int triage_key_right(void) { return KEY_RIGHT; }
static inline int triage_key_home(void) { return KEY_HOME; }
static inline int triage_key_end(void) { return KEY_END; }
static inline int triage_key_ppage(void) { return KEY_PPAGE; }
static inline int triage_key_npage(void) { return KEY_NPAGE; }
static inline int triage_key_backspace(void) { return KEY_BACKSPACE; }
static inline int triage_key_dc(void) { return KEY_DC; }
static inline int triage_key_enter(void) { return KEY_ENTER; }
static inline int triage_key_resize(void) { return KEY_RESIZE; }
static inline int triage_key_btab(void) { return KEY_BTAB; }

/// Mouse: clicks, double clicks and the wheel (buttons 4 and 5), nothing else; `on` false turns
/// reporting off so the terminal's own text selection works.
static inline void triage_mouse(bool on) {
    mmask_t wanted = on ? (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0;
    mousemask(wanted, NULL);
}
static inline int triage_key_mouse(void) { return KEY_MOUSE; }

/// The pending mouse event: kind 1 click, 2 double click, 3 wheel up, 4 wheel down; 0 for others.
static inline int triage_mouse_event(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_DOUBLE_CLICKED) return 2;
    if (event.bstate & BUTTON1_CLICKED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 3;
    if (event.bstate & BUTTON5_PRESSED) return 4;
    return 0;
}

/// Draws one character cell: `text` is the cell's scalars (a base and any combining marks).
static inline int triage_put_cell(int y, int x, const wchar_t *text, attr_t attributes, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}

/// Bracketed paste (xterm's mode 2004): the terminal marks pasted text, so a newline in it is not Enter.
static inline void triage_bracketed_paste(bool on) {
    const char *sequence = on ? "\033[?2004h" : "\033[?2004l";
    ssize_t written = write(STDOUT_FILENO, sequence, 8);
    (void)written;
}

/// On a crash signal: give the terminal back (leave the alternate screen, show the cursor, restore
/// the tty modes), then die of the same signal so the exit status and any core dump stay honest.
static void triage_crash_handler(int signal_number) {
    triage_bracketed_paste(false);
    endwin();
    struct sigaction action;
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(signal_number, &action, NULL);
    raise(signal_number);
}

static inline void triage_install_crash_handlers(void) {
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        action.sa_handler = triage_crash_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(signals[i], &action, NULL);
    }
}

#endif
