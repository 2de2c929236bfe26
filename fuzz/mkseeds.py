#!/usr/bin/env python3
"""Write the seed inputs of the IPC fuzzer (fuzz/) into fuzz/seeds/.

Each seed is a short program in the fuzzer's input encoding (the table of
operation codes in fuzz/ops.c, and the op_* functions of fuzz/op_*.c, which
read their operands) that reaches one interesting state: a queued
delivery, each kind of virtualization request answered, a data fault,
nesting, misbehaving virtualizers, destruction of suspended work.  The
fuzzer mutates from there.  Rerun this after changing the encoding.

    python3 fuzz/mkseeds.py            (from the top of the tree)
    VG_FUZZ_TRACE=1 build/fuzz/ipc_fuzz fuzz/seeds/NAME   shows what it does
"""
import os
import struct

# Space layout (enum SL_* in fuzz/fuzz.h).
SL_MSGR, SL_RIGHT, SL_RECV = 4, 8, 100
SL_DATA_VIRT, SL_DATA_INNER = 41, 43
M_SERVED = 3

# enum how (fuzz/op_virt.c)
H_CORRECT, H_WRONG_TYPE, H_ZERO_BITS, H_TOO_MANY_BITS, H_VOID, H_ERROR, \
    H_TWICE, H_UNASKED, H_NEVER, H_RANDOM, H_SHORT = range(11)


def u8(*v):
    return bytes(x & 0xff for x in v)


def u16(v):
    return struct.pack("<H", v)


def u64(v):
    return struct.pack("<Q", v & (2**64 - 1))


# pick_addr encodings (fuzz/ops.c).
def a_right(q, i):
    return u8(1, 4 * q + i)


def a_recv(j):
    return u8(3, j)


def a_virt(q, low8):
    return u8(4, q, low8)


def a_virt16(q, bits16):
    return u8(5, q) + u16(bits16)


def a_inner(x):
    return u8(7, x)


def a_raw(prefix, depth):
    """A raw address (pick_addr's default case)."""
    return u8(18, 0) + u64(prefix << (64 - depth) | 1 << (63 - depth))


def a_empty():
    return u8(17, 0)


def t_recv(j):
    """pick_target: slot SL_RECV + j."""
    return u8(j)


def t_addr(addr_bytes):
    return u8(200) + addr_bytes


def send(p, msgr, target, inline=False, nwords=3, caps=(), activate=False):
    """op_send.  TARGET: ('right', q, i) | ('virt', q, low8) | raw bytes."""
    # b: bits 0-1 the messenger, 2 nonblocking, 3 inline, and bits 2-4
    # also make the word count (1 + b>>2 & 3 + (b & 0x10 ? 2 : 0)): inline
    # blocking sends 3 words, a page message 1 or 3.
    b = msgr & 3
    if inline:
        b |= 0x08
    elif nwords >= 3:
        b |= 0x10
    if target[0] == "right":
        b |= 0 << 5
        tbytes = u8(4 * target[1] + target[2])
    elif target[0] == "virt":
        b |= 3 << 5
        tbytes = u8(target[1], target[2])
    else:
        b |= 7 << 5
        tbytes = target[1]
    out = u8(6, p, b) + b"".join(u64(0x1111 * (k + 1)) for k in range(5))
    out += u8(len(caps)) + b"".join(caps) + tbytes + u8(1 if activate else 0)
    return out


def receive(p, msgr, targets=(), nonblocking=False, activate=True,
            inline=False):
    """op_receive, with the buffer armed with TARGETS (pick_target bytes)."""
    b = (msgr & 3) | (0x04 if nonblocking else 0) | \
        (0x08 if activate else 0) | (0x10 if inline else 0)
    out = u8(10, p, b)
    if inline:
        out += targets[0] if targets else t_recv(0)
    return out + u8(len(targets)) + b"".join(targets)


def virt(v, how=H_CORRECT, answerer=0, extra=b"", answers=1):
    """op_virtualizer: V receives on its served messenger, then answers
    (ANSWERS times: 0 if it has nothing to answer or never does, 2 for
    H_TWICE).  ANSWERER: 0 served, 1 messenger 0, 2 inline."""
    c = answerer & 3
    return u8(15, v, how, 1) + extra + u8(c) * answers


def fault(p, kind, y=0, z=0, write=False):
    """op_fault: KIND 1 = the virtual pager, 3 = inner virtual level."""
    out = u8(21, p, kind, y, z) + u16(0x123)
    if kind == 1:
        out += u64(0x42)
    return out + u8(1 if write else 0)


def alloc(p, idx, type_sel):
    """op_alloc: TYPE_SEL indexes types[] in fuzz/op_objects.c (0 void,
    2 messenger, 4 page)."""
    return u8(24, p, idx & 0x7f, type_sel)


def repair(p):
    return u8(29, p)


def folio_free(p):
    return u8(58, p)


def cancel(p, i):
    return u8(23, p, i)


def invoke_alloc_reply(p, sender, reply, index, type_):
    """op_invoke: FOLIO_OBJECT_ALLOC(INDEX, TYPE_) on P's own folio, sent
    inline from messenger SENDER, replying to P's messenger REPLY."""
    b = (sender & 3) << 2 | 0x40
    return u8(13, p, b, 5, 200, index, type_, reply, 2)


def wake(q, stop=False):
    """op_wake: the supervisor starts (or stops) Q's thread."""
    return u8(30, q, 0 if stop else 1)


def mode(p, activated=False):
    """op_mode: P's program leaves (or, ACTIVATED, enters) activated
    mode."""
    return u8(27, p, 0 if activated else 1)


def ipc_rebind_receive(p, addr):
    """op_ipc: P receives on the messenger at ADDR (pick_addr bytes) with
    VG_IPC_RECEIVE_SET_THREAD_TO_CALLER and _ACTIVATE."""
    return (u8(0, p, 0x21, 0x00, 0x41) + addr + u8(0) + t_recv(0) +
            u8(14, 0, 14, 0) + u8(0, 0) * 4 + u8(0))


def collect(p):
    return u8(28, p)


def converse(p, q_off, rounds, nwords, word=0x11):
    """op_converse: Q = P + 1 + Q_OFF waits, then P and Q call and reply
    ROUNDS times with NWORDS inline words (the fast path's shape)."""
    words = b"".join(u64(word + 0x100 * i + k) for i in range(rounds)
                     for k in range(4))
    return u8(0xed, p, q_off, rounds - 1, nwords) + words


# The operations behind bytes 0xe0 and up (fuzz/ops.c): op_storage,
# op_methods, op_roottask, op_exception.
OP_HIGH = 0xe0
# Slots of the storage playground (fuzz/fuzz.h), by op_storage's choice
# (b & 7): A, B, F, G.
PLAY_A, PLAY_B, PLAY_F, PLAY_G = range(4)


def storage(p, where, method, args=b"", reps=1, page=False, land=0):
    """op_storage: METHOD (op_storage's k: 0 FOLIO_ALLOC, 1 SET_LIMIT, 2
    INFO, 3 OBJECT_ALLOC, 5 FOLIO_FREE) on WHERE, ARGS its operand bytes,
    REPS times (2..16), inline unless PAGE; replies land in SL_NEW+LAND."""
    b = where | (0x08 if page else 0) | (0x30 if reps > 1 else 0)
    out = u8(OP_HIGH | 0, p, b, method) + args
    if reps > 1:
        out += u8(reps - 2)
    return out + u8(land) * reps


def object_alloc(p, where, index, type_, execute=False):
    """op_storage's FOLIO_OBJECT_ALLOC(INDEX, TYPE_) on WHERE."""
    return storage(p, where, 3, u8(0, index, 0 if execute else 1, type_))


def quota_above_usage(p, where, folios):
    """op_storage's SET_LIMIT of the quota: WHERE's usage plus FOLIOS
    folios."""
    return storage(p, where, 1, u8(0, 1, folios))


def set_limit(p, where, limit, value):
    """op_storage's SET_LIMIT: LIMIT 1 (weight) or 2 (priority) to
    VALUE."""
    return storage(p, where, 1, u8(limit, value))


def priority(p, prio):
    """op_methods: THREAD_PRIORITY(PRIO) on P's own thread."""
    return u8(OP_HIGH | 6, p, 0, prio, 0, 0)


def console_write(p, text, count=None, inline=True):
    """op_methods: CONSOLE_WRITE of TEXT (up to 48 bytes), COUNT bytes."""
    words = (text + b"\0" * 7)[:len(text) + (-len(text)) % 8]
    nw = len(words) // 8
    count = u8(0, len(text)) if count is None else u8(230) + u64(count)
    return (u8(OP_HIGH | 6, p, 1 | (0 if inline else 0x20), nw) +
            words + count + u8(0))


def power_off(p, status):
    return u8(OP_HIGH | 6, p, 2, status, 0)


def roottask(mutations=(), nmods=0, size=None, cmdline=0, mods=()):
    """op_roottask: MUTATIONS are mutate()'s operand bytes; MODS, pairs
    of (size bytes, name index)."""
    m = len(mutations) | (nmods & 3) << 2 | (0x80 if size is not None
                                             else 0)
    if nmods > 3:
        m |= 0x40
    out = u8(OP_HIGH | 10, m, cmdline) + b"".join(mutations)
    if size is not None:
        out += u16(size)
    if nmods > 3:
        out += u8(nmods - 16)
    for size_bytes, name in mods:
        out += size_bytes + u8(name)
    return out


def reap(steps):
    """op_reap: from now on the reaper runs only here, STEPS steps (255:
    to the end)."""
    return u8(OP_HIGH | 15, steps)


def page_in(p, rounds, b=0, page=0):
    """op_page_in: P touches ROUNDS pages of its pager's region from PAGE
    on, each FAULT answered in the fast path's shape (B: the access in
    b % 3, bit 2 the answering messenger, bits 3-4 the page)."""
    return u8(OP_HIGH | 23, p, rounds - 1, b) + u16(page)


def exception(p, vector):
    """op_exception: a processor exception VECTOR at the direct page."""
    return u8(OP_HIGH | 21, p, 0, 0, 0, 0) + u16(0x10) + u8(vector)


SEEDS = {
    # Conversations in the fast path's shape: once the lookups are
    # cached, each call and reply is taken by the fast path and checked
    # against the general one (fuzz/fastpath.c).
    "converse": converse(0, 0, 8, 1) + converse(1, 1, 7, 4) +
    converse(2, 2, 6, 0) + converse(0, 0, 8, 2) + mode(1, activated=True) +
    converse(0, 0, 4, 3),
    # A pager's loop: faults in a region a virtualizer serves, each
    # answer in the fast path's shape (virt_fast.h's fault answer).
    "page_in": page_in(0, 8) + page_in(1, 8, 4, 0x100) +
    page_in(2, 8, 9, 0x200) + page_in(0, 8, 1, 0x300) +
    page_in(1, 6, 2, 0x400),
    # A queued inline send, then the receive that delivers it; a page
    # message with a capability.
    "queue_deliver": send(0, 1, ("right", 1, 0), inline=True) +
    receive(1, 0, [t_recv(0)]) +
    send(1, 0, ("right", 0, 1), nwords=4, caps=[a_right(2, 0)]) +
    receive(0, 1, inline=True),
    # A send whose target is behind a virtual level (INDEX in the target
    # phase); the virtualizer answers with a send right to (1, 0).
    "virt_target": send(0, 0, ("virt", 2, 4)) + virt(2) +
    receive(1, 0, [t_recv(1)]),
    # A message capability behind a virtual level (INDEX while
    # delivering).
    "virt_source_cap": receive(1, 0, [t_recv(2), t_recv(3)]) +
    send(0, 0, ("right", 1, 0), caps=[a_virt(3, 17), a_right(1, 1)]) +
    virt(3),
    # A target slot behind a virtual level (STORE).
    "virt_store": receive(1, 0, [t_addr(a_virt(2, 200)), t_recv(4)]) +
    send(0, 0, ("right", 1, 0), caps=[a_right(3, 3), a_right(0, 0)]) +
    virt(2),
    # A data fault served by a pager, and one through the inner cappage
    # (its slot 14 is served by process 2).
    "virt_fault": fault(0, 1) + virt(2) + fault(1, 3, y=14, z=7) + virt(2),
    # Nesting: 32 bits; process 2 hands back its inner cappage (backing
    # slot 20), whose slot 15 is process 3's level; 3 answers with a send
    # right to (1, 0).
    "virt_nested": send(0, 0, ("raw", a_raw(
        (32 + 2) << 24 | 20 << 16 | 15 << 8 | 4, 32))) +
    virt(2) + virt(3) + receive(1, 0, [t_recv(5)]),
    # Misbehaving virtualizers.
    "virt_misbehave": send(0, 0, ("virt", 2, 4)) +
    virt(2, H_ZERO_BITS) + send(0, 0, ("virt", 2, 5)) +
    virt(2, H_WRONG_TYPE, extra=u8(3)) + send(0, 0, ("virt", 3, 6)) +
    virt(3, H_ERROR, extra=u8(0, 20)) + send(1, 0, ("virt", 3, 6)) +
    virt(3, H_TWICE, answerer=1, answers=2) +
    virt(3, H_UNASKED, extra=u8(0)) +
    send(1, 1, ("virt", 2, 9), inline=True) + virt(2, H_NEVER, answers=0) +
    cancel(1, 1),
    # Destruction of what suspended work depends on.
    "virt_destroy": receive(1, 0, [t_addr(a_virt(2, 3))]) +
    send(0, 0, ("right", 1, 0), caps=[a_virt(3, 1), a_right(0, 0)]) +
    alloc(3, 3 + M_SERVED, 0) + fault(2, 1) +
    folio_free(0) + repair(0) + send(3, 2, ("virt", 1, 2)) +
    alloc(1, 3 + M_SERVED, 2) + repair(1) + mode(1) + collect(1),
    # A kernel reply whose capability goes to a virtualized slot: the
    # reply's delivery suspends on STORE.
    "kreply_store": receive(0, 0, [t_addr(a_virt(2, 50))]) +
    invoke_alloc_reply(0, 1, 0, 100, 1) + virt(2) + receive(0, 0),
    # Folios from A until the storage window is used up, then one of them
    # freed and the lot with F (which holds B, which pays for G).
    "storage_exhaust": storage(0, PLAY_A, 0, reps=12) +
    storage(1, PLAY_A, 2) + storage(1, PLAY_F, 5) + repair(0) +
    storage(2, PLAY_B, 0, reps=3),
    # A quota one folio above B's usage: one folio more, then QUOTA; the
    # accounting read; objects of every type in G (an activity, which
    # gets a folio of its own); B destroyed with all it paid for.
    "storage_quota": quota_above_usage(0, PLAY_B, 1) +
    storage(0, PLAY_B, 0, reps=3, land=1) + storage(0, PLAY_B, 2) +
    b"".join(object_alloc(1, PLAY_G, i, t) for i, t in
             enumerate([2, 3, 4, 5, 6, 7, 8, 9])) +
    object_alloc(1, PLAY_G, 8, 2, execute=True) +
    object_alloc(1, PLAY_G, 9, 4, execute=True) +
    object_alloc(2, PLAY_F, 0, 0) + repair(2),
    # Root tasks built on B from the image, good and bad: modules, a
    # header that is no ELF, a segment past user memory, a module too
    # large, more modules than the boot information holds, a cut image.
    "roottask_variants": roottask(nmods=2, cmdline=3,
                                  mods=[(u8(0) + u16(100), 0),
                                        (u8(0) + u16(5000), 3)]) +
    roottask(mutations=[u8(0, 0, 1, 0x40)]) +
    roottask(mutations=[u8(10, 1, 4) + u16(0x100)]) +
    roottask(nmods=1, mods=[(u8(240) + u16(0), 0)]) +
    roottask(nmods=17, mods=[(u8(0) + u16(1), 0)] * 17) +
    roottask(size=100) +
    roottask(mutations=[u8(11, 1, 0, 4) + u16(0x40)]),
    # Destruction in progress: B (with G and what is in it) destroyed
    # while the reaper waits; its slot busy, its storage not yet back;
    # then the reaper's steps, a few at a time, and the repair.
    "reaper_steps": reap(0) + object_alloc(1, PLAY_G, 0, 6) +
    object_alloc(1, PLAY_G, 1, 3) + object_alloc(1, PLAY_G, 2, 7) +
    set_limit(2, PLAY_B, 2, 1) + set_limit(2, PLAY_B, 1, 7) +
    object_alloc(2, PLAY_F, 0, 0) + object_alloc(2, PLAY_F, 0, 6) +
    storage(3, PLAY_A, 2) + reap(3) + repair(0) + reap(3) + reap(255) +
    repair(0) + storage(3, PLAY_A, 2),
    # The devices and a thread's priority, in range and not.
    "devices": console_write(0, b"hello, console") +
    console_write(1, b"a longer line through the page" * 1, inline=False) +
    console_write(2, b"short", count=200) + power_off(0, 3) +
    power_off(1, 200) + priority(0, 2) + priority(1, 4) +
    exception(3, 13) + collect(3),
}


# Minimal reproducers of kernel bugs the fuzzer found (fuzz/crashes/).
CRASHES = {
    # A virtualizer answers a target-phase INDEX with error word 15
    # (VG_ERR_VIRTUAL): the kernel takes it for its own "suspend here".
    "answer-error-virtual": send(0, 0, ("virt", 3, 6)) +
    virt(3, H_ERROR, extra=u8(0, 15)),
    # Thread 0 faults on a page served by process 2 (it is FAULTED); the
    # supervisor stops it with exregs: STOPPED, fault still outstanding.
    "exregs-faulted-thread": fault(0, 3, y=14) + wake(0, stop=True),
    # A kernel reply's capability goes to a virtualized slot: delivering
    # the STORE request clears the carrier's MSGR_KMSG with its KREQ, so
    # the reply is lost and, once the virtualizer answers, the carrier's
    # own message (the invocation) is delivered in its place.
    "kreply-store-loses-reply": receive(0, 0, [t_addr(a_virt(2, 50))]) +
    invoke_alloc_reply(0, 1, 0, 100, 1) + virt(2),
    # The same with the request still queued (process 2's served
    # messenger is busy): cancelling the carrier aborts the delivery but
    # leaves MSGR_KMSG set -- a carried reply going nowhere, and the
    # messenger busy until cancelled again.
    "cancel-suspended-kreply": send(1, 0, ("right", 2, 3)) +
    receive(0, 0, [t_addr(a_virt(2, 50))]) +
    invoke_alloc_reply(0, 1, 0, 100, 1) + cancel(0, 1),
    # Process 0's delivery to (1, 0) waits on process 2's served
    # messenger M, which has itself queued a send to (1, 0).  Destroying M
    # aborts the delivery, which re-opens (1, 0), which starts delivering
    # M's message -- during M's own destruction: the delivery suspends
    # (its capability is virtualized by process 3) and M is destroyed
    # with (1, 0) reserved by it and on 3's asker list.
    "destroy-queued-virtualizer": receive(1, 0, [t_recv(0)]) +
    send(0, 0, ("right", 1, 0), caps=[a_virt(2, 7)]) +
    send(2, 3, ("right", 1, 0), caps=[a_virt(3, 8)]) +
    alloc(2, 3 + M_SERVED, 0),
    # Messenger (0, 3) has an activation queued on thread 0 (in activated
    # mode); thread 1 receives on it with _SET_THREAD_TO_CALLER; the next
    # activation of (0, 3) unlinks the pending one from thread 0, which
    # never learns that a message arrived.
    "rebind-drops-activation": mode(0, activated=True) +
    receive(0, 3, [t_recv(1)]) + send(1, 0, ("right", 0, 3)) +
    ipc_rebind_receive(1, a_inner(8)) + send(2, 0, ("right", 0, 3)),
    # A root task image whose program headers start at offset 68, no
    # multiple of 8: the builder read them in place, through a misaligned
    # pointer (UBSan); it copies them out now.
    "roottask-unaligned-phdr": roottask(mutations=[u8(4, 0, 1, 68)]),
}


def write(sub, table):
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, sub)
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(table.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


def main():
    write("seeds", SEEDS)
    write("crashes", CRASHES)


if __name__ == "__main__":
    main()
