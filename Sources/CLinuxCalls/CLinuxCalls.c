#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/fs.h>
#include "CLinuxCalls.h"

int triage_renameat_noreplace(int fromDirectory, const char *from, int toDirectory, const char *to) {
    return (int)syscall(SYS_renameat2, fromDirectory, from, toDirectory, to, RENAME_NOREPLACE);
}

int triage_openat_without_atime(int directory, const char *name, int flags) {
    static atomic_int refused;
    if (!atomic_load_explicit(&refused, memory_order_relaxed)) {
        int fd = openat(directory, name, flags | O_NOATIME);
        if (fd >= 0 || errno != EPERM) return fd;
        atomic_store_explicit(&refused, 1, memory_order_relaxed);
    }
    return openat(directory, name, flags);
}

int triage_renice_this_thread(int increment) {
    pid_t thread = (pid_t)syscall(SYS_gettid);
    errno = 0;
    int main = getpriority(PRIO_PROCESS, (id_t)getpid());
    if (main == -1 && errno != 0) return -1;
    errno = 0;
    int current = getpriority(PRIO_PROCESS, (id_t)thread);
    if (current == -1 && errno != 0) return -1;
    // A thread inherits its creator's nice: one started by an already lowered thread is there.
    if (current >= main + increment) return 0;
    return setpriority(PRIO_PROCESS, (id_t)thread, main + increment);
}

int triage_this_thread_niceness(void) {
    errno = 0;
    int current = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    return current == -1 && errno != 0 ? -100 : current;
}

int triage_name_this_thread(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = 0;
    return pthread_setname_np(pthread_self(), truncated);
}

/// Closes every descriptor from `from` up but `keep` (above `from`): close_range(2) where the kernel
/// has it, else one by one.
static void close_from(int from, int keep) {
    if (keep > from) syscall(SYS_close_range, (unsigned)from, (unsigned)(keep - 1), 0);
    if (syscall(SYS_close_range, (unsigned)(keep + 1), ~0U, 0) == 0) return;
    long limit = sysconf(_SC_OPEN_MAX);
    if (limit < 0 || limit > 65536) limit = 65536;
    for (int fd = from; fd < limit; fd++) if (fd != keep) close(fd);
}

int triage_spawn_tied(const char *path, char *const argv[], int input, int output, int error) {
    // exec's failure comes back through this pipe; it closes by itself when exec succeeds.
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(report[0]);
        close(report[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here to exec: the parent has other threads.
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The parent may have died before prctl took effect.
        if (getppid() != parent) _exit(127);
        if (dup2(input, 0) < 0 || dup2(output, 1) < 0 || dup2(error, 2) < 0) goto failed;
        close_from(3, report[1]);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int defaults[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT};
        for (unsigned i = 0; i < sizeof defaults / sizeof defaults[0]; i++) signal(defaults[i], SIG_DFL);
        execv(path, argv);
    failed:;
        int code = errno;
        (void)!write(report[1], &code, sizeof code);
        _exit(127);
    }
    close(report[1]);
    int code = 0;
    ssize_t got;
    do { got = read(report[0], &code, sizeof code); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof code) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        errno = code;
        return -1;
    }
    return pid;
}
