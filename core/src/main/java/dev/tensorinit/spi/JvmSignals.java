package dev.tensorinit.spi;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JVM's own signal handlers, kept safe from native libraries that a backend loads.
 *
 * <p>Why: HotSpot takes SIGSEGV on purpose (safepoint polls, implicit null checks, stack banging) and
 * handles SIGBUS, SIGILL, SIGFPE, SIGINT, SIGTERM, SIGHUP, SIGUSR2 and more itself. LLVM, which PoCL
 * (an OpenCL driver) loads, replaces those handlers process-wide when PoCL initializes its devices and
 * again when it compiles a kernel, with {@code SA_RESETHAND}: the first fault resets the handler to
 * the default action until LLVM's handler has put the JVM's back. At a safepoint every thread running
 * compiled code faults at once, so a second thread's fault meets the default action and the process
 * dies with SIGSEGV or SIGILL and no hs_err file. Seen on 16 cores with PoCL 5, reproduced here on 2
 * cores with PoCL 3.1 (tests in the opencl module).
 *
 * <p>The complete cure is HotSpot's signal chaining, {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so},
 * which the {@code tensorinit} launcher always uses: the JVM's handlers then stay installed and only
 * chain to a library's. Without it, a backend calls {@link #restore()} after every native call that
 * may have loaded or initialized such a library; that puts the handlers captured before the first
 * native call back (the library keeps working; only its crash-time clean-up handler is gone). The
 * window between a library's install and the restore remains, which is why the launcher and the
 * README still ask for libjsig.
 *
 * <p>Linux on x86-64 and aarch64 only (the kernel's rt_sigaction record is read and written raw, so
 * libjsig's interposition neither hides nor blocks it); elsewhere every method does nothing.
 */
@SuppressWarnings("restricted") // raw system calls are what this class is for; needs --enable-native-access
public final class JvmSignals {
    /** Signals 1..31: every standard signal whose JVM handler a library could take. */
    static final int SIGNALS = 31;
    /** Signals HotSpot always handles itself: checked by {@link #status()} even if captured too late. */
    private static final int[] HOTSPOT_FAULTS = {4, 7, 8, 11};   // SIGILL, SIGBUS, SIGFPE, SIGSEGV
    /** The kernel's struct sigaction on x86-64 and aarch64: handler, flags, restorer, 64-bit mask. */
    private static final int KSIGACTION_BYTES = 32;
    private static final long SIG_DFL = 0, SIG_IGN = 1;

    private static final String[] NAMES = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
            "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
            "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
            "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    /** Captured once, before any backend's first native call (both native backends touch this first). */
    private static final class Original {
        static final JvmSignals SNAPSHOT = new JvmSignals(Native.find());
    }

    /** Set to false to switch {@link #repair} off (diagnosis only: it shows what a driver does to the JVM). */
    public static final String REPAIR_PROPERTY = dev.tensorinit.Settings.SIGNAL_REPAIR;
    private static final System.Logger LOG = System.getLogger(JvmSignals.class.getName());

    private final Optional<Native> nat;
    /** Only de-duplicates repair's warning; the repair itself runs every time. */
    private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();
    /** The kernel records of every signal whose handler lay in the JVM at capture time; null elsewhere. */
    private final byte[][] jvmOwned = new byte[SIGNALS + 1][];

    private JvmSignals(Optional<Native> nat) {
        this.nat = nat;
        nat.ifPresent(n -> {
            for (int s = 1; s <= SIGNALS; s++) {
                byte[] rec = n.get(s);
                if (rec != null && n.isJvmHandler(handler(rec))) jvmOwned[s] = rec;
            }
        });
    }

    /**
     * The JVM's handlers as they were before any backend loaded native code. Call it before a
     * backend's first native call (a probe's first line does): the first call captures them.
     */
    public static JvmSignals original() {
        return Original.SNAPSHOT;
    }

    /** Whether this platform is supported (Linux x86-64 or aarch64 with rt_sigaction reachable). */
    public boolean supported() {
        return nat.isPresent();
    }

    /**
     * Puts back every JVM handler that native code replaced since the capture. Returns one line per
     * signal put back, naming the library that had taken it ("SIGSEGV from libLLVM-15.so.1"); empty
     * when nothing had changed, always empty under libjsig. Costs a few system calls: cheap enough
     * to run after every native call.
     */
    public List<String> restore() {
        if (nat.isEmpty()) return List.of();
        Native n = nat.get();
        List<String> restored = new ArrayList<>();
        for (int s = 1; s <= SIGNALS; s++) {
            byte[] want = jvmOwned[s];
            if (want == null) continue;
            byte[] now = n.get(s);
            if (now == null || java.util.Arrays.equals(now, want)) continue;
            String by = n.describe(handler(now));
            if (n.set(s, want)) restored.add(name(s) + " from " + by);
        }
        return restored;
    }

    /**
     * What a backend calls after a native call that may have loaded or initialized a library (a
     * driver's device discovery, a kernel compiler): {@link #restore()}, and one warning per JVM naming
     * the library and {@code what} the backend was doing, the first time anything had to be put back.
     */
    public void repair(String what) {
        if (!dev.tensorinit.Settings.signalRepair()) return;
        List<String> restored = restore();
        if (!restored.isEmpty() && warned.compareAndSet(false, true)) {
            // Under libjsig the fault handlers stay the JVM's; what comes back then is SIGINT, SIGTERM, SIGHUP
            // (shutdown hooks) and the like, which chaining does not cover: worth a debug line, not a warning.
            boolean chained = chainingActive();
            LOG.log(chained ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, "native code replaced the JVM's signal"
                    + " handlers during " + what + " (" + String.join(", ", restored) + "); tensorinit put the JVM's back."
                    + (chained ? "" : " Without that, multithreaded JVMs crash at a safepoint. Start the JVM with"
                    + " LD_PRELOAD=$JAVA_HOME/lib/libjsig.so (signal chaining) to close the remaining window; the tensorinit"
                    + " launcher does."));
        }
    }

    /**
     * Every signal whose handler was the JVM's at capture time (and SIGILL, SIGBUS, SIGFPE and SIGSEGV
     * always) that is now handled by something else: "SIGSEGV by libLLVM-15.so.1". Empty when all are
     * the JVM's, or on an unsupported platform.
     */
    public List<String> replaced() {
        if (nat.isEmpty()) return List.of();
        Native n = nat.get();
        List<String> taken = new ArrayList<>();
        for (int s = 1; s <= SIGNALS; s++) {
            final int sig = s;
            if (jvmOwned[s] == null && java.util.Arrays.stream(HOTSPOT_FAULTS).noneMatch(f -> f == sig)) continue;
            byte[] now = n.get(s);
            if (now != null && !n.isJvmHandler(handler(now))) taken.add(name(s) + " by " + n.describe(handler(now)));
        }
        return taken;
    }

    /**
     * One line for diagnostics: whether the JVM's handlers are intact, and whether signal chaining
     * (libjsig) is active.
     */
    public String status() {
        if (nat.isEmpty()) return "not checked on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        List<String> taken = replaced();
        String chaining = chainingActive() ? "signal chaining (libjsig) active" : "no signal chaining (libjsig not preloaded)";
        return (taken.isEmpty() ? "JVM signal handlers intact" : "JVM signal handlers replaced: " + String.join(", ", taken))
                + "; " + chaining;
    }

    /** True when HotSpot's libjsig is loaded into this process (LD_PRELOAD), so signal chaining protects the JVM. */
    public static boolean chainingActive() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("/libjsig.so");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String name(int sig) {
        return sig > 0 && sig < NAMES.length ? NAMES[sig] : "signal " + sig;
    }

    private static long handler(byte[] rec) {
        return MemorySegment.ofArray(rec).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }

    /** The system calls, looked up once; absent off Linux x86-64/aarch64 or when the lookup fails. */
    private record Native(MethodHandle syscall, long sysRtSigaction, MethodHandle dladdr) {

        static Optional<Native> find() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            long nr = switch (arch) {
                case "amd64", "x86_64" -> 13;   // __NR_rt_sigaction
                case "aarch64" -> 134;
                default -> -1;
            };
            if (!os.contains("linux") || nr < 0) return Optional.empty();
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                MethodHandle sys = linker.downcallHandle(libc.find("syscall").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                        Linker.Option.firstVariadicArg(1));
                MethodHandle dladdr = dladdrLookup(linker)
                        .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)))
                        .orElseThrow();
                return Optional.of(new Native(sys, nr, dladdr));
            } catch (RuntimeException | LinkageError e) {
                return Optional.empty();
            }
        }

        /** dladdr lives in libc since glibc 2.34 and in libdl before. */
        private static Optional<MemorySegment> dladdrLookup(Linker linker) {
            Optional<MemorySegment> d = linker.defaultLookup().find("dladdr");
            if (d.isPresent()) return d;
            for (String lib : new String[] {"libc.so.6", "libdl.so.2"}) {
                try {
                    d = SymbolLookup.libraryLookup(lib, Arena.global()).find("dladdr");
                    if (d.isPresent()) return d;
                } catch (IllegalArgumentException e) {
                    // not there; try the next
                }
            }
            return Optional.empty();
        }

        /** The kernel's record for sig, or null when the call fails. */
        byte[] get(int sig) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment rec = a.allocate(KSIGACTION_BYTES, 8);
                long r = (long) syscall.invokeExact(sysRtSigaction, (long) sig, MemorySegment.NULL, rec, 8L);
                return r == 0 ? rec.toArray(ValueLayout.JAVA_BYTE) : null;
            } catch (Throwable t) {
                return null;
            }
        }

        boolean set(int sig, byte[] record) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment rec = a.allocate(KSIGACTION_BYTES, 8);
                MemorySegment.copy(record, 0, rec, ValueLayout.JAVA_BYTE, 0, KSIGACTION_BYTES);
                return (long) syscall.invokeExact(sysRtSigaction, (long) sig, rec, MemorySegment.NULL, 8L) == 0;
            } catch (Throwable t) {
                return false;
            }
        }

        boolean isJvmHandler(long handler) {
            if (handler == SIG_DFL || handler == SIG_IGN) return false;
            String lib = library(handler);
            return lib != null && (lib.endsWith("/libjvm.so") || lib.endsWith("/libjsig.so"));
        }

        /** "libLLVM-15.so.1", "SIG_DFL", or the address in hex. */
        String describe(long handler) {
            if (handler == SIG_DFL) return "SIG_DFL";
            if (handler == SIG_IGN) return "SIG_IGN";
            String lib = library(handler);
            return lib != null ? Path.of(lib).getFileName().toString() : "0x" + Long.toHexString(handler);
        }

        /** The file of the shared object holding address, from dladdr. */
        private String library(long address) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment info = a.allocate(32, 8);   // Dl_info: fname, fbase, sname, saddr
                int ok = (int) dladdr.invokeExact(MemorySegment.ofAddress(address), info);
                if (ok == 0) return null;
                MemorySegment fname = info.get(ValueLayout.ADDRESS, 0);
                return fname.equals(MemorySegment.NULL) ? null : fname.reinterpret(4096).getString(0);
            } catch (Throwable t) {
                return null;
            }
        }
    }
}
