package dev.tensorinit.opencl;

import dev.tensorinit.CompiledFill;
import dev.tensorinit.DType;
import dev.tensorinit.kernel.KernelArgs;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Enqueues the fill kernel for part of a destination, span by span ({@link CompiledFill#spans}): each
 * launch covers whole rows (or one row's piece) so a work-item never has to divide by the row width; launches are capped at
 * {@link #MAX_ITEMS} work-items (by default) so that no driver meets an oversized NDRange.
 */
final class FillLauncher {
    static final long MAX_ITEMS = 1L << 24;

    private final ClProgram program;
    private final cl_command_queue queue;
    private final KernelArgs args;
    private final long localSize;
    private final long maxItems;
    private final int perBlock;
    private final int perItem;

    /** localSize 0 lets the driver choose the work-group size; maxItems caps the work-items of one launch. */
    FillLauncher(ClProgram program, cl_command_queue queue, KernelArgs args, long localSize, long maxItems) {
        this.maxItems = maxItems;
        this.program = program;
        this.queue = queue;
        this.args = args;
        this.localSize = localSize;
        this.perBlock = args.dtype() == DType.F64 ? 2 : 4;
        this.perItem = program.elementsPerItem(args.dtype());
        ClProgram.requireSupported(program.device(), args.dtype());
    }

    /** Writes destination elements [cs, cs + len) of the fill into mem, element cs landing at mem element memOffset. */
    void fill(cl_mem mem, long memOffset, CompiledFill fill, long cs, long len) {
        fill.spans(cs, cs + len, new CompiledFill.Spans() {
            @Override public void run(long first, long count, long dst) {
                FillLauncher.this.rows(mem, memOffset + dst - cs, first, 0, count, 1);
            }

            @Override public void rows(long first, long stride, long width, long rows, long dst) {
                FillLauncher.this.rows(mem, memOffset + dst - cs, first, stride, width, rows);
            }
        });
    }

    /** Work-items a row [first, first + width) needs: its blocks, perItem / perBlock to an item. */
    private long items(long first, long width) {
        long blocks = (first + width - 1) / perBlock - first / perBlock + 1;
        long per = perItem / perBlock;
        return (blocks + per - 1) / per;
    }

    private void rows(cl_mem mem, long dst0, long first, long stride, long width, long rows) {
        // Rows of a tile start at different offsets within a block: size for the worst case.
        long slots = rows == 1 ? items(first, width) : items(perBlock - 1, width);
        if (slots > maxItems) { // very long rows: cut each into pieces
            long piece = Math.max(1, maxItems - 1) * perItem;
            for (long r = 0; r < rows; r++) {
                for (long off = 0; off < width; off += piece) {
                    long n = Math.min(piece, width - off);
                    long f = first + r * stride + off;
                    launch(mem, dst0 + r * width + off, f, 0, n, 1, items(f, n));
                }
            }
            return;
        }
        long per = Math.max(1, maxItems / slots);
        for (long r0 = 0; r0 < rows; r0 += per) {
            launch(mem, dst0 + r0 * width, first + r0 * stride, stride, width, Math.min(per, rows - r0), slots);
        }
    }

    private void launch(cl_mem mem, long dst0, long first, long stride, long width, long rows, long slots) {
        cl_kernel k = program.kernel(args.dtype());
        long[] global = {localSize > 0 ? (slots + localSize - 1) / localSize * localSize : slots, rows};
        long[] local = localSize > 0 ? new long[] {localSize, 1} : null;
        synchronized (program.lock()) {
            int i = 0;
            set(k, i++, Sizeof.cl_mem, Pointer.to(mem));
            for (long v : new long[] {dst0, first, stride, width, slots, args.seed(), args.stream()}) {
                set(k, i++, Sizeof.cl_ulong, Pointer.to(new long[] {v}));
            }
            set(k, i++, Sizeof.cl_int, Pointer.to(new int[] {args.kind().code()}));
            if (args.dtype() == DType.F64) {
                for (double v : args.f64Params()) set(k, i++, Sizeof.cl_double, Pointer.to(new double[] {v}));
            } else {
                for (float v : args.f32Params()) set(k, i++, Sizeof.cl_float, Pointer.to(new float[] {v}));
            }
            Cl.check(CL.clEnqueueNDRangeKernel(queue, k, 2, null, global, local, 0, null, null),
                    "clEnqueueNDRangeKernel(" + args.dtype().id() + ", " + slots + "x" + rows + " work-items)");
        }
    }

    private static void set(cl_kernel k, int index, long size, Pointer p) {
        Cl.check(CL.clSetKernelArg(k, index, size, p), "clSetKernelArg(" + index + ")");
    }
}
