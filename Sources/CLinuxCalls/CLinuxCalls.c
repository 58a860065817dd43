#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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
