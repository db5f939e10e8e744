#!/usr/bin/env bash
# bench/io-uring-tap-probe.sh - how io_uring reads a non-blocking tap on this kernel (docs/benchmarks.md, "Small
# frames in UDP GSO trains"): a tap in a namespace of its own gets a few ARP frames from a ping to a missing
# neighbour, eight IORING_OP_READs are submitted at once, and the completions are printed as they come (now, and
# after 2 s). What it showed on kernel 6.18: the reads beyond the frames queued did not fail with EAGAIN but waited
# and completed as later frames came, in completion order, not request order.
#
# usage: sudo bench/io-uring-tap-probe.sh        needs: root, gcc, iproute2, ping; io_uring enabled
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "needs root (a namespace and a tap)" >&2; exit 1; }
command -v gcc >/dev/null || { echo "needs gcc" >&2; exit 1; }
dir=$(mktemp -d) ns=iouprobe-$$
trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$dir"' EXIT
cat > "$dir/probe.c" <<'EOF'
#include <linux/io_uring.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int tap = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    struct ifreq r = {0};
    r.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(r.ifr_name, "iou0");
    if (tap < 0 || ioctl(tap, TUNSETIFF, &r) < 0) { perror("tap"); return 1; }
    /* frames to read: ARP requests for a neighbour that never answers (in this namespace only) */
    if (system("ip link set iou0 up && ip addr add 10.9.9.1/24 dev iou0 && "
               "(ping -c 3 -i 0.2 -W 1 10.9.9.2 >/dev/null 2>&1 &)") != 0) return 1;
    sleep(1);
    struct io_uring_params p = {0};
    int ring = syscall(__NR_io_uring_setup, 16, &p);
    if (ring < 0) { perror("io_uring_setup"); return 1; }
    char *sq = mmap(0, p.sq_off.array + p.sq_entries * 4, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
                    IORING_OFF_SQ_RING);
    char *cq = mmap(0, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
    struct io_uring_sqe *sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                                     MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
    unsigned *stail = (unsigned *)(sq + p.sq_off.tail), *smask = (unsigned *)(sq + p.sq_off.ring_mask);
    unsigned *sarray = (unsigned *)(sq + p.sq_off.array);
    unsigned *chead = (unsigned *)(cq + p.cq_off.head), *ctail = (unsigned *)(cq + p.cq_off.tail);
    unsigned *cmask = (unsigned *)(cq + p.cq_off.ring_mask);
    struct io_uring_cqe *cqes = (void *)(cq + p.cq_off.cqes);
    static char buf[8][2048];
    unsigned t = *stail;
    for (int i = 0; i < 8; i++, t++) {
        struct io_uring_sqe *e = &sqes[t & *smask];
        memset(e, 0, sizeof *e);
        e->opcode = IORING_OP_READ;
        e->fd = tap;
        e->addr = (unsigned long)buf[i];
        e->len = sizeof buf[i];
        e->off = -1; /* a stream: no offset */
        e->user_data = i;
        sarray[t & *smask] = t & *smask;
    }
    atomic_store_explicit((_Atomic unsigned *)stail, t, memory_order_release);
    printf("submitted %ld reads\n", syscall(__NR_io_uring_enter, ring, 8, 0, IORING_ENTER_GETEVENTS, NULL, 0));
    for (int round = 0; round < 2; round++) {
        unsigned h = *chead, tail = atomic_load_explicit((_Atomic unsigned *)ctail, memory_order_acquire);
        printf("%s: %u completions\n", round == 0 ? "in the submitting call" : "2 s later", tail - h);
        for (; h != tail; h++) {
            struct io_uring_cqe *c = &cqes[h & *cmask];
            printf("  read %llu: %d\n", (unsigned long long)c->user_data, c->res);
        }
        atomic_store_explicit((_Atomic unsigned *)chead, h, memory_order_release);
        sleep(2);
    }
    return 0;
}
EOF
gcc -O1 -o "$dir/probe" "$dir/probe.c"
ip netns add "$ns"
ip netns exec "$ns" "$dir/probe"
