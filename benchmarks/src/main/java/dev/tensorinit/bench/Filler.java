package dev.tensorinit.bench;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.FillRequest;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.Settings;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One prepared fill, repeated by a benchmark: a backend (found through core's SPI, never by class)
 * with its own buffer, or core's scalar reference on one thread. {@link #open} fills once, so the
 * buffer is touched (host pages mapped, device memory committed) before anything is timed.
 */
public sealed interface Filler extends AutoCloseable {

    /** Pseudo-backend name for core's {@link Reference#fillRun}, single thread. */
    String REFERENCE = "reference";

    void run();

    @Override void close();

    static Filler open(String backend, FillRequest request) {
        Filler f = backend.equals(REFERENCE) ? new ReferenceFiller(request) : BackendFiller.open(backend, request);
        try {
            f.run();
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
        return f;
    }

    /**
     * Opens a backend through core's SPI. {@code spec} is a provider name, optionally with a CUDA engine: "cuda:curand"
     * creates the cuda backend with the curand engine (typed options over the settings', no system property).
     */
    static Backend openBackend(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) return Dispatcher.standard().choose(spec).provider().create();
        String name = spec.substring(0, colon);
        if (!name.equals("cuda")) throw new IllegalArgumentException("only cuda has engines: '" + spec + "'");
        return Dispatcher.standard().choose(name).provider()
                .create(Settings.backendOptionsFor(name).withCudaEngine(spec.substring(colon + 1)));
    }

    /** A backend filling its own buffer (host memory for cpu, device memory for GPUs). */
    final class BackendFiller implements Filler {
        private final Backend backend;
        private final DeviceBuffer buffer;
        private final FillRequest request;

        private BackendFiller(Backend backend, DeviceBuffer buffer, FillRequest request) {
            this.backend = backend;
            this.buffer = buffer;
            this.request = request;
        }

        static BackendFiller open(String spec, FillRequest request) {
            Backend b = openBackend(spec);
            try {
                return new BackendFiller(b, b.allocate(request.dtype(), request.count()), request);
            } catch (RuntimeException | Error e) {
                b.close();
                throw e;
            }
        }

        public Backend backend() { return backend; }

        public DeviceBuffer buffer() { return buffer; }

        @Override public void run() { backend.fill(request, buffer); }

        @Override public void close() {
            try {
                buffer.close();
            } finally {
                backend.close();
            }
        }
    }

    /** Core's scalar reference on the calling thread: the baseline every kernel must beat. */
    final class ReferenceFiller implements Filler {
        private final Arena arena = Arena.ofShared();
        private final KernelArgs args;
        private final long count;
        private final MemorySegment segment;

        ReferenceFiller(FillRequest request) {
            this.args = request.kernelArgs();
            this.count = request.count();
            try {
                this.segment = NativeMemory.allocateUninitialized(arena, request.byteSize(), 64);
            } catch (RuntimeException | Error e) {
                arena.close();
                throw e;
            }
        }

        public MemorySegment segment() { return segment; }

        @Override public void run() { Reference.fillRun(args, 0, count, segment, 0); }

        @Override public void close() { arena.close(); }
    }
}
