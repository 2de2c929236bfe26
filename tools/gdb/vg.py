# vg's gdb helpers: pretty-printers for the kernel's capabilities,
# capability addresses, messengers and threads, and commands that list
# the threads and messengers in storage and walk a capability address
# the way the kernel's translation does (kernel/core/as.c).
#
# Loaded by the gdbinit that make qemu-gdb and make debug write
# ($(O)/gdbinit); by hand: (gdb) source tools/gdb/vg.py
#
# Everything is read from the kernel's own memory through its debug
# information, so the helpers work on any stopped kernel: at a
# breakpoint, after a panic, or paused in user mode (the kernel's
# mappings are in every address space).
#
# docs/debugging.md describes the commands with examples.

import gdb
import gdb.printing

FRAME_SIZE = 4096
CAPPAGE_SLOTS_LOG2 = 8
FOLIO_OBJECTS = 128
FOLIO_OBJECTS_LOG2 = 7
OBJECT_SLOTS_LOG2 = 2


def _enum_names(tag, prefix):
    """Value -> short name of enum TAG, its PREFIX dropped, lower case."""
    try:
        t = gdb.lookup_type("enum " + tag)
    except gdb.error:
        return {}
    return {int(f.enumval): f.name[len(prefix):].lower()
            for f in t.fields() if f.name.startswith(prefix)}


class _Kernel:
    """The kernel's constants and storage window, read once per stop."""

    def __init__(self):
        self.types = _enum_names("vg_type", "VG_TYPE_")
        self.type_of = {v: k for k, v in self.types.items()}
        self.states = _enum_names("vg_thread_state", "VG_THREAD_")
        self.reasons = _enum_names("vg_activation_reason", "VG_ACTIVATION_")
        self.errors = _enum_names("vg_err", "VG_ERR_")
        self.errors[0] = "ok"

    def window(self):
        base = gdb.parse_and_eval("storage_base")
        nchunks = int(gdb.parse_and_eval("storage_nchunks"))
        return int(base), nchunks

    def folio_frames(self):
        return 1 + FOLIO_OBJECTS

    def type_name(self, t):
        return self.types.get(int(t), "type %d" % int(t))

    def type_code(self, name):
        return self.type_of[name]


_k = None


def kernel():
    global _k
    if _k is None:
        _k = _Kernel()
    return _k


def _ptr(addr, tag):
    return gdb.Value(addr).cast(gdb.lookup_type("struct " + tag).pointer())


def _u8(v):
    return int(v) & 0xff


# --- addresses ---------------------------------------------------------------

def addr_depth(raw):
    if raw == 0:
        return 0
    return 63 - ((raw & -raw).bit_length() - 1)


def addr_prefix(raw):
    d = addr_depth(raw)
    if raw == 0 or d == 0:
        return 0
    return raw >> (64 - d)


def addr_bits(raw, start, n):
    """Bits START..START+N of the address (as kernel/core/as.c's walk_bits)."""
    if n == 0:
        return 0
    return ((raw << start) & ((1 << 64) - 1)) >> (64 - n)


def addr_format(raw):
    if raw == 0:
        return "void"
    d = addr_depth(raw)
    if d == 0:
        return "root"
    p = addr_prefix(raw)
    s = "0x%x/%d" % (p, d)
    if d == 52:
        s += " (page at 0x%x)" % (p << 12)
    return s


def parse_addr(text):
    """PREFIX/DEPTH, or a raw encoded address (any gdb expression)."""
    if "/" in text:
        p, d = text.split("/", 1)
        prefix = int(gdb.parse_and_eval(p))
        depth = int(gdb.parse_and_eval(d))
        if depth < 0 or depth > 63 or prefix >> depth:
            raise gdb.GdbError("vg: %s is not a prefix of that depth" % text)
        if depth == 0:
            return 1 << 63
        return (prefix << (64 - depth)) | (1 << (63 - depth))
    v = gdb.parse_and_eval(text)
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
        v = v["raw"]
    return int(v) & ((1 << 64) - 1)


# --- objects -------------------------------------------------------------------

def folio_of(oid):
    base, _ = kernel().window()
    chunk = oid // kernel().folio_frames()
    return _ptr(base + chunk * kernel().folio_frames() * FRAME_SIZE, "folio")


def object_type(oid):
    """The strong type of the object in frame OID, or None if none."""
    base, nchunks = kernel().window()
    if oid >= nchunks * kernel().folio_frames():
        return None
    f = folio_of(oid).dereference()
    index = oid % kernel().folio_frames()
    if index == 0:
        return kernel().type_code("folio") if int(f["in_use"]) else None
    t = int(f["object"][index - 1]["type"])
    return t if t != 0 else None


def cap_object(cap):
    """The frame address CAP designates, or None (as object_frame)."""
    k = kernel()
    t = _u8(cap["type"])
    oid = int(cap["oid"])
    base, nchunks = k.window()
    if t == 0 or t not in k.types or oid >= nchunks * k.folio_frames():
        return None
    f = folio_of(oid).dereference()
    index = oid % k.folio_frames()
    if index == 0:
        if k.type_name(t) != "folio" or not int(f["in_use"]) or \
                int(f["version"]) != int(cap["version"]):
            return None
        return int(f.address)
    strong = int(gdb.parse_and_eval("object_strong_type[%d]" % t))
    o = f["object"][index - 1]
    if int(o["type"]) != strong or int(o["version"]) != int(cap["version"]):
        return None
    return base + oid * FRAME_SIZE


def oid_of(addr):
    base, _ = kernel().window()
    return (int(addr) - base) // FRAME_SIZE


def objects(type_name):
    """(oid, frame address) of every live object of TYPE_NAME."""
    k = kernel()
    want = k.type_code(type_name)
    base, nchunks = k.window()
    frames = k.folio_frames()
    for chunk in range(nchunks):
        fa = base + chunk * frames * FRAME_SIZE
        f = _ptr(fa, "folio").dereference()
        if not int(f["in_use"]):
            continue
        objs = f["object"]
        for i in range(FOLIO_OBJECTS):
            o = objs[i]
            if int(o["type"]) == want and not int(o["dying"]):
                oid = chunk * frames + 1 + i
                yield oid, base + oid * FRAME_SIZE


def cap_format(cap):
    k = kernel()
    t = _u8(cap["type"])
    gd = _u8(cap["guard_depth"])
    s = k.type_name(t)
    if t != 0:
        s += " #%d v%d" % (int(cap["oid"]), int(cap["version"]))
    if gd:
        s += " guard 0x%x/%d" % (int(cap["guard"]), gd)
    name = k.type_name(t)
    if name in ("cappage", "rcappage") and _u8(cap["subpage_log2"]):
        s += " part %d/%d" % (_u8(cap["subpage"]),
                             1 << _u8(cap["subpage_log2"]))
    elif name in ("page", "rpage", "activity") and _u8(cap["rights"]):
        r = _u8(cap["rights"])
        rights = [n for bit, n in ((1, "execute"), (2, "limit")) if r & bit]
        s += " [" + ",".join(rights) + "]"
    if t != 0 and cap_object(cap) is None:
        s += " (stale: reads as void)"
    return s


# --- pretty-printers -------------------------------------------------------------

class CapPrinter:
    """struct vg_cap: type, object, version, guard, part or rights."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return "{" + cap_format(self.val) + "}"


class AddrPrinter:
    """vg_addr_t: prefix/depth, as vg_addr() takes them."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return "{" + addr_format(int(self.val["raw"]) & ((1 << 64) - 1)) + "}"


def _slot_children(val, names):
    for i, n in enumerate(names):
        yield n, val["slot"][i]


class MessengerPrinter:
    """struct messenger: a summary line, then the fields worth reading."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        m = self.val
        s = "messenger #%d id 0x%x" % (oid_of(m.address), int(m["id"]))
        if int(m["target"]):
            s += ", sending to #%d" % oid_of(m["target"])
        if int(m["wait_count"]):
            s += ", %d waiting" % int(m["wait_count"])
        if int(m["act_thread"]):
            s += ", activation pending for thread #%d" % \
                oid_of(m["act_thread"])
        return s

    def children(self):
        m = self.val
        for c in _slot_children(m, ("thread", "aspace", "buffer",
                                    "activity")):
            yield c
        for f in ("flags", "kflags", "wait_count", "target", "act_thread",
                  "act_reason", "act_error", "send_words", "send_cap",
                  "send_nwords", "send_inline", "inline_words",
                  "inline_nwords", "inline_cap", "cont"):
            yield f, m[f]

    def display_hint(self):
        return None


class ThreadPrinter:
    """struct thread: a summary line, then its slots and registers."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        t = self.val
        k = kernel()
        st = k.states.get(int(t["state"]), str(int(t["state"])))
        s = "thread #%d %s, priority %d, %d activations" % (
            oid_of(t.address), st, int(t["priority"]), int(t["activations"]))
        x = thread_frame(t)
        if x is not None:
            s += ", rip 0x%x rsp 0x%x" % (int(x["rip"]), int(x["rsp"]))
        return s

    def children(self):
        t = self.val
        for c in _slot_children(t, ("aspace", "activity", "exception",
                                    "utcb")):
            yield c
        for f in ("state", "priority", "handler_ip", "handler_sp",
                  "exit_start", "exit_end", "act_count", "activations",
                  "fault_messenger"):
            yield f, t[f]


def thread_frame(t):
    """The saved user registers of thread T (x86-64: struct x86_thread)."""
    try:
        xt = t["arch"].address.cast(
            gdb.lookup_type("struct x86_thread").pointer())
    except gdb.error:
        return None
    return xt["frame"]


def _lookup(val):
    t = val.type
    if t.name == "vg_addr_t":
        return AddrPrinter(val)
    t = t.strip_typedefs()
    if t.code != gdb.TYPE_CODE_STRUCT:
        return None
    return {"vg_cap": CapPrinter, "messenger": MessengerPrinter,
            "thread": ThreadPrinter}.get(t.tag, lambda v: None)(val)


# --- commands ----------------------------------------------------------------------

def _current():
    try:
        return int(gdb.parse_and_eval("x86_current"))
    except gdb.error:
        return 0


class VgThreads(gdb.Command):
    """List every thread in storage: vg-threads

Each line: its object id, its frame, its state, priority, activations
delivered, and the user rip and rsp its last kernel entry saved; '*'
marks the thread whose registers the current kernel entry saved.
Print one whole with: p *$vg_object(OID)"""

    def __init__(self):
        super().__init__("vg-threads", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        k = kernel()
        cur = _current()
        n = 0
        print("   %-6s %-18s %-9s %4s %6s  %-18s %s" % (
            "oid", "frame", "state", "prio", "acts", "rip", "rsp"))
        for oid, addr in objects("thread"):
            t = _ptr(addr, "thread").dereference()
            x = thread_frame(t)
            st = k.states.get(int(t["state"]), str(int(t["state"])))
            print("%s  %-6d 0x%-16x %-9s %4d %6d  0x%-16x 0x%x" % (
                "*" if addr == cur else " ", oid, addr, st,
                int(t["priority"]), int(t["activations"]),
                int(x["rip"]) if x is not None else 0,
                int(x["rsp"]) if x is not None else 0))
            n += 1
        print("%d threads" % n)


class VgMessengers(gdb.Command):
    """List every messenger in storage: vg-messengers

Each line: its object id, its frame, its user-visible id, the thread its
THREAD slot names, the messenger it is sending to (queued on), how many
senders wait on it, and its pending activation's reason bits.
Print one whole with: p *$vg_object(OID)"""

    def __init__(self):
        super().__init__("vg-messengers", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        n = 0
        print("%-6s %-18s %10s %-8s %-8s %7s %s" % (
            "oid", "frame", "id", "thread", "target", "waiting",
            "activation"))
        for oid, addr in objects("messenger"):
            m = _ptr(addr, "messenger").dereference()
            thr = cap_object(m["slot"][0])
            tgt = int(m["target"])
            act = ("0x%x" % int(m["act_reason"])) if int(m["act_thread"]) \
                else "-"
            print("%-6d 0x%-16x %10x %-8s %-8s %7d %s" % (
                oid, addr, int(m["id"]),
                "#%d" % oid_of(thr) if thr else "-",
                "#%d" % oid_of(tgt) if tgt else "-",
                int(m["wait_count"]), act))
            n += 1
        print("%d messengers" % n)


# The slot each kind of object's addresses are translated from.
_ASPACE_SLOT = {"thread": 0, "messenger": 1}


def _root_slot(arg):
    """The root slot to walk from (see VgWalk) and what it is."""
    v = gdb.parse_and_eval(arg)
    t = v.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR:
        tag = t.target().strip_typedefs().tag
        if tag == "vg_cap":
            return v.dereference(), "capability at 0x%x" % int(v)
        if tag in ("thread", "messenger"):
            i = _ASPACE_SLOT[tag]
            return v.dereference()["slot"][i], "%s #%d's slot %d" % (
                tag, oid_of(v), i)
        raise gdb.GdbError("vg-walk: %s is not a thread, messenger or "
                           "capability pointer" % arg)
    oid = int(v)
    ty = object_type(oid)
    k = kernel()
    if ty is None or k.type_name(ty) not in ("thread", "messenger"):
        raise gdb.GdbError("vg-walk: object %d is not a thread or a "
                           "messenger" % oid)
    name = k.type_name(ty)
    obj = _ptr(kernel().window()[0] + oid * FRAME_SIZE, name)
    i = _ASPACE_SLOT[name]
    return obj.dereference()["slot"][i], "%s #%d's slot %d" % (name, oid, i)


class VgWalk(gdb.Command):
    """Walk a capability address: vg-walk ROOT ADDRESS

ROOT is a thread (from its address space, slot 0) or a messenger (from
the address space its message's addresses resolve in, slot 1), as an
object id or a struct thread * or struct messenger * expression, or a
struct vg_cap * to start from.  ADDRESS is PREFIX/DEPTH (for
example 0x400/52, the page at 0x400000) or an encoded vg_addr_t value.
Prints each capability met, the guard and index bits consumed, and
where and why the walk ends, as the kernel's translation would; a
virtualized level (a messenger capability met while bits remain) ends
it, since the kernel would ask that messenger's holder."""

    def __init__(self):
        super().__init__("vg-walk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        # ROOT may be an expression with spaces; ADDRESS is one word.
        argv = arg.strip().rsplit(None, 1)
        if len(argv) != 2:
            raise gdb.GdbError("usage: vg-walk ROOT ADDRESS")
        cap, where = _root_slot(argv[0])
        raw = parse_addr(argv[1])
        print("walk %s from %s" % (addr_format(raw), where))
        walk(cap, raw)


def walk(cap, raw):
    k = kernel()
    depth = addr_depth(raw)
    consumed = 0
    weak = False
    step = 0
    if raw == 0:
        print("  the void address names no slot")
        return
    while True:
        frame = cap_object(cap)
        name = k.type_name(_u8(cap["type"])) if frame is not None else "void"
        if weak and name in ("page", "cappage", "messenger"):
            name = "r" + name
        elif weak and name in ("folio", "activity", "thread", "console",
                               "power"):
            name = "void"
        print("  %2d. [%2d bits consumed] %s" % (step, consumed,
                                                 cap_format(cap)))
        if depth == 0:
            print("  => the root slot itself: %s" % name)
            return
        remaining = depth - consumed
        gd = _u8(cap["guard_depth"])
        if gd > remaining:
            print("  => guard depth: the guard is %d bits, %d remain"
                  % (gd, remaining))
            return
        bits = addr_bits(raw, consumed, gd)
        if bits != int(cap["guard"]):
            print("  => guard mismatch: address bits 0x%x, guard 0x%x"
                  % (bits, int(cap["guard"])))
            return
        consumed += gd
        if consumed == depth:
            print("  => found: %s%s" % (name, " (through a weak path)"
                                        if weak else ""))
            return
        remaining = depth - consumed
        if name in ("cappage", "rcappage"):
            sub = _u8(cap["subpage_log2"])
            n = CAPPAGE_SLOTS_LOG2 - sub
        elif name == "folio":
            n = FOLIO_OBJECTS_LOG2
        elif name in ("thread", "messenger"):
            n = OBJECT_SLOTS_LOG2
        elif name == "rmessenger":
            print("  => virtualized: %d bits remain, the holder of "
                  "messenger #%d would be asked" % (remaining,
                                                    int(cap["oid"])))
            return
        elif name == "void":
            print("  => void capability, %d bits remain" % remaining)
            return
        else:
            print("  => not indexable: a %s with %d bits remaining"
                  % (name, remaining))
            return
        if n > remaining:
            print("  => address too short: indexing takes %d bits, %d "
                  "remain" % (n, remaining))
            return
        index = addr_bits(raw, consumed, n)
        if name in ("cappage", "rcappage"):
            index |= _u8(cap["subpage"]) << n
            if name == "rcappage":
                weak = True
            slot = _ptr(frame, "cappage")["slot"][index]
            how = "slot %d of cappage #%d" % (index, int(cap["oid"]))
        elif name == "folio":
            print("      index %d of folio #%d: object #%d" % (
                index, int(cap["oid"]), int(cap["oid"]) + 1 + index))
            slot = _folio_object_cap(int(cap["oid"]), index)
            how = None
        else:
            slot = _ptr(frame, name)["slot"][index]
            how = "slot %d of %s #%d" % (index, name, int(cap["oid"]))
        if how:
            print("      index 0x%x (%d bits): %s" % (index, n, how))
        cap = slot
        consumed += n
        step += 1


def _folio_object_cap(folio_oid, index):
    """The capability a folio's INDEX synthesizes (folio_object_cap)."""
    k = kernel()
    f = folio_of(folio_oid).dereference()
    o = f["object"][index]
    t = gdb.lookup_type("struct vg_cap")
    # Built in the inferior's terms: a zeroed vg_cap on gdb's side.
    buf = bytearray(t.sizeof)
    oid = folio_oid + 1 + index
    buf[0:4] = oid.to_bytes(4, "little")
    buf[4:8] = int(o["version"]).to_bytes(4, "little")
    buf[12] = int(o["type"]) & 0xff
    return gdb.Value(bytes(buf), t)


class VgObject(gdb.Function):
    """$vg_object(OID): the object in frame OID, as a pointer of its type
(struct thread *, struct messenger *, struct folio *, struct activity *,
struct cappage *), or void * for a page."""

    def __init__(self):
        super().__init__("vg_object")

    def invoke(self, oid):
        oid = int(oid)
        ty = object_type(oid)
        if ty is None:
            raise gdb.GdbError("vg_object: no object in frame %d" % oid)
        base = kernel().window()[0]
        name = kernel().type_name(ty)
        addr = base + oid * FRAME_SIZE
        if name == "folio":
            return folio_of(oid)
        if name in ("thread", "messenger", "activity", "cappage"):
            return _ptr(addr, name)
        return gdb.Value(addr).cast(gdb.lookup_type("void").pointer())


class VgAddr(gdb.Function):
    """$vg_addr(PREFIX, DEPTH): the encoded capability address (vg_addr())."""

    def __init__(self):
        super().__init__("vg_addr")

    def invoke(self, prefix, depth):
        return gdb.Value(parse_addr("%d/%d" % (int(prefix), int(depth))))


def register():
    gdb.printing.register_pretty_printer(gdb.current_objfile(), _lookup,
                                         replace=True)
    VgThreads()
    VgMessengers()
    VgWalk()
    VgObject()
    VgAddr()


register()
