#!/usr/bin/env python3
"""Runs the real JVM and vfo jar under each unit's system call filter, without systemd.

`systemd-analyze verify` proves the units parse; it cannot prove the JVM survives
SystemCallFilter= or that MemoryDenyWriteExecute=no is needed, and CI machines have no systemd to
start the units. This rebuilds the filter the way systemd does (the first SystemCallFilter= line
an allow list of its groups expanded by `systemd-analyze syscall-filter`, each `~` line removing
from it, every other call failing with SystemCallErrorNumber=), loads it with libseccomp in a
child process, and runs, with the unit's own VFO_JAVA_OPTS:
  1. `vfo --version` and `vfo fsm table` from the fat jar;
  2. a Java probe: loopback TCP through NIO and a selector (epoll), threads, and a hot loop that
     the JIT compiles;
then two controls that must fail, so a pass above means something:
  3. the same probe with `socket` also denied (proves the filter is loaded);
  4. the JVM under systemd's MemoryDenyWriteExecute=yes rules (proves the unit's comment that
     the JVM cannot run with it), next to Python under the same rules, which must run.
With strace installed it also lists every system call the unfiltered probe made that the filter
would refuse. Other sandboxing (namespaces, ProtectSystem=, DevicePolicy=) is not reproduced.

usage: deploy/systemd/sandbox-check.py [unit...]     (needs python3-seccomp; the jar built)
exit 0 when all checks pass, 1 when one fails, 77 when it cannot run here (no libseccomp).
"""
import errno
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import seccomp
except ImportError:
    print("sandbox-check: python3-seccomp is not installed (apt-get install python3-seccomp): skipped")
    sys.exit(77)

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
JAR = ROOT / "deploy" / "target" / "vfo-all.jar"
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else shutil.which("java")

PROBE = r"""
import java.net.*;
import java.nio.ByteBuffer;
import java.nio.channels.*;
public class Probe {
    static long spin(long n) { long x = 0; for (long i = 0; i < n; i++) { x += i * 31 ^ (x >>> 3); } return x; }
    public static void main(String[] args) throws Exception {
        long sum = 0;
        for (int i = 0; i < 2_000; i++) { sum += spin(10_000); }  // hot enough for C1 and C2
        try (ServerSocketChannel server = ServerSocketChannel.open();
             Selector selector = Selector.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            Thread client = new Thread(() -> {
                try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                    c.write(ByteBuffer.wrap("ping".getBytes()));
                } catch (Exception e) { throw new RuntimeException(e); }
            });
            client.start();
            selector.select(10_000);
            try (SocketChannel accepted = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(4);
                accepted.configureBlocking(true);
                while (in.hasRemaining() && accepted.read(in) >= 0) { }
                client.join();
                System.out.println(new String(in.array()) + " " + (sum != 42));
            }
        }
    }
}
"""


def expand(group, cache={}):
    """The system calls of a systemd group (@name), recursively, as systemd-analyze lists them."""
    if group not in cache:
        out = subprocess.run(["systemd-analyze", "syscall-filter", group], check=True,
                             capture_output=True, text=True).stdout.splitlines()
        names = set()
        for line in out[1:]:
            word = line.strip()
            if not word or word.startswith("#"):
                continue
            if not line.startswith(" "):
                break  # the next group's heading
            names |= expand(word) if word.startswith("@") else {word}
        cache[group] = names
    return cache[group]


def unit_filter(unit):
    """(allowed calls, errno) from the unit's SystemCallFilter= and SystemCallErrorNumber= lines."""
    allowed = None
    error = errno.EPERM
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith("SystemCallErrorNumber="):
            error = getattr(errno, line.split("=", 1)[1].strip())
        if not line.startswith("SystemCallFilter="):
            continue
        value = line.split("=", 1)[1].strip()
        deny = value.startswith("~")
        names = set()
        for word in value.lstrip("~").split():
            names |= expand(word) if word.startswith("@") else {word}
        if allowed is None:
            if deny:
                raise SystemExit(f"{unit.name}: a deny-list filter is not what this check models")
            allowed = names
        elif deny:
            allowed -= names
        else:
            allowed |= names
    if allowed is None:
        raise SystemExit(f"{unit.name}: no SystemCallFilter=")
    return allowed, error


def java_opts(unit, scratch):
    m = re.search(r'^Environment="VFO_JAVA_OPTS=(.*)"$', unit.read_text(encoding="utf-8"), re.M)
    opts = m.group(1) if m else ""
    return opts.replace("%L", str(scratch)).replace("%%", "%").split()


def run(argv, allowed, error, conditional=None):
    """Runs argv with the filter loaded; conditional = (calls, rule adder) replaces those calls' rules."""
    def install():
        f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(error))
        skip = conditional[0] if conditional else set()
        for name in sorted(allowed - skip):
            try:
                f.add_rule(seccomp.ALLOW, name)
            except (RuntimeError, ValueError):
                pass  # a name this architecture does not have (e.g. the *32 variants)
        if conditional:
            conditional[1](f)
        f.load()
    return subprocess.run(argv, preexec_fn=install, capture_output=True, text=True, timeout=300)


def deny_write_execute(f):
    """systemd's MemoryDenyWriteExecute=yes as seccomp rules: mmap never both writable and
    executable, mprotect/pkey_mprotect never adding execute. Allowed only when the masked
    protection bits say so; everything else hits the default errno."""
    prot_write, prot_exec = 0x2, 0x4
    for value in (0, prot_write, prot_exec):
        f.add_rule(seccomp.ALLOW, "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, prot_write | prot_exec, value))
    for name in ("mprotect", "pkey_mprotect"):
        f.add_rule(seccomp.ALLOW, name, seccomp.Arg(2, seccomp.MASKED_EQ, prot_exec, 0))


WRITE_EXECUTE = ({"mmap", "mprotect", "pkey_mprotect"}, deny_write_execute)


def main(units):
    if JAVA is None or not JAR.is_file():
        print(f"sandbox-check: needs java on PATH and {JAR} (build it with deploy/bin/vfo --version)")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        probe = pathlib.Path(scratch, "Probe.java")
        probe.write_text(PROBE, encoding="utf-8")
        for unit in units:
            allowed, error = unit_filter(unit)
            opts = java_opts(unit, scratch)
            checks = [
                ("vfo --version", [JAVA, *opts, "-jar", str(JAR), "--version"], "vfo "),
                ("vfo fsm table", [JAVA, *opts, "-jar", str(JAR), "fsm", "table"], "RUNNING"),
                ("NIO + JIT probe", [JAVA, *opts, str(probe)], "ping true"),
            ]
            for name, argv, expect in checks:
                r = run(argv, allowed, error)
                ok = r.returncode == 0 and expect in r.stdout
                failures += report(unit, name, ok, r)
            r = run([JAVA, *opts, str(probe)], allowed - {"socket"}, error)
            failures += report(unit, "control: probe without socket() fails", r.returncode != 0, r)
            r = run([JAVA, *opts, "-version"], allowed, error, WRITE_EXECUTE)
            failures += report(unit, "control: JVM under MemoryDenyWriteExecute=yes fails", r.returncode != 0, r)
            # ...because of the JVM's generated code, not because the rules break every program.
            r = run([sys.executable, "-c", "print('ok')"], allowed, error, WRITE_EXECUTE)
            failures += report(unit, "control: Python under MemoryDenyWriteExecute=yes runs", r.returncode == 0, r)
            if shutil.which("strace"):
                trace = pathlib.Path(scratch, "trace")
                subprocess.run(["strace", "-f", "-qq", "-c", "-U", "name", "-o", str(trace), JAVA, *opts, str(probe)],
                               capture_output=True, timeout=300)
                used = {line.split()[-1] for line in trace.read_text().splitlines()[2:]
                        if line.strip() and not line.startswith("-") and line.split()[-1] != "total"}
                outside = sorted(used - allowed)
                print(f"     {unit.name}: the unfiltered probe made {len(used)} distinct system calls;"
                      f" outside the filter (they get {errno.errorcode[error]}): {', '.join(outside) or 'none'}")
    return 1 if failures else 0


def report(unit, name, ok, result):
    print(f"{'ok  ' if ok else 'FAIL'} {unit.name}: {name} (exit {result.returncode})")
    if not ok:
        print("     " + (result.stderr.strip() or result.stdout.strip())[-800:].replace("\n", "\n     "))
    return 0 if ok else 1


if __name__ == "__main__":
    paths = [pathlib.Path(a) for a in sys.argv[1:]] or sorted(HERE.glob("*.service"))
    sys.exit(main(paths))
