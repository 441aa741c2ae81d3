package dev.tensorinit.cli;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Inits;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.Streams;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the fill command will do, checked before any work: the validated request, the output
 * file and format, the tensor's name, the shape stored in the file, the metadata (safetensors only; empty
 * for the other formats) and the file's header (so a name the format cannot hold, such as a safetensors
 * tensor called __metadata__, is refused before any fill). Built only from the flags the user gave; any
 * bad flag throws IllegalArgumentException naming it.
 */
record FillPlan(FillRequest request, Distribution distribution, Path out, OutputFormat format, String tensorName,
                String streamName, long[] fileShape, Map<String, String> metadata, byte[] header) {

    /** The flag values as typed; null when not given. */
    record Flags(String shape, String layout, String init, Map<String, String> initParams, String seed, String stream,
                 String name, String dtype, String range, String rows, String cols, Path out) {}

    static FillPlan of(Flags f) {
        Shape shape = Shape.parse(f.shape());
        Layout layout = Layout.parse(f.layout() == null ? "torch" : f.layout());
        InitSpec init = Inits.create(f.init(), f.initParams());
        DType dtype = DType.parse(f.dtype() == null ? "f32" : f.dtype());
        OutputFormat format = OutputFormat.of(f.out());
        format.checkDType(dtype);
        long seed = f.seed() == null ? 0 : Numbers.u64("--seed", f.seed());
        if (f.stream() != null && f.name() != null) {
            throw new IllegalArgumentException("give --stream or --name, not both (--name derives the stream from the name)");
        }
        long stream = f.name() != null ? Streams.ofName(f.name()) : f.stream() != null ? Numbers.u64("--stream", f.stream()) : 0;
        Region region = region(f);
        FillRequest req;
        long count;
        try {
            req = new FillRequest(shape, layout, init, dtype, seed, stream, region);
            count = req.count();
            shape.bytes(dtype);
            req.byteSize();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the region " + region + " of shape " + shape + " is too large", e);
        }
        Distribution dist = req.distribution(); // fails here when the init cannot resolve against this shape/layout
        req.kernelArgs();
        long[] fileShape = switch (region) {
            case Region.Whole w -> shape.dims();
            case Region.Range r -> new long[] {count};
            case Region.Tile t -> new long[] {t.rows(), t.cols()};
        };
        String tensorName = f.name() != null ? f.name() : "weight";
        // Only safetensors has room for metadata; reading the version for it from the jar cost other fills 5-8 ms.
        Map<String, String> metadata = format == OutputFormat.SAFETENSORS ? metadata(req, dist, f.name()) : Map.of();
        byte[] header = format.header(dtype, fileShape, tensorName, req.byteSize(), metadata);
        // The file's size must fit a long too: header + data overflowed to a negative size, the free-space check passed,
        // and the fill wrote until the disk was full.
        try {
            Math.addExact(header.length, req.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the file would be more than 2^63-1 bytes (" + req.byteSize() + " bytes of data and a "
                    + header.length + "-byte header); write a --range or tile of it", e);
        }
        return new FillPlan(req, dist, f.out(), format, tensorName, f.name(), fileShape, metadata, header);
    }

    private static Region region(Flags f) {
        if (f.range() != null && (f.rows() != null || f.cols() != null)) {
            throw new IllegalArgumentException("give --range or --rows/--cols, not both");
        }
        if (f.range() != null) {
            long[] r = Numbers.span("--range", f.range());
            return Region.range(r[0], r[1]);
        }
        if (f.rows() != null || f.cols() != null) {
            if (f.rows() == null || f.cols() == null) throw new IllegalArgumentException("a tile needs both --rows and --cols");
            long[] r = Numbers.span("--rows", f.rows());
            long[] c = Numbers.span("--cols", f.cols());
            return Region.tile(r[0], r[1], c[0], c[1]);
        }
        return Region.whole();
    }

    /** String-to-string metadata for safetensors: enough to regenerate the file. */
    private static Map<String, String> metadata(FillRequest r, Distribution dist, String name) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("init", r.init().name());
        r.init().parameters().forEach((k, v) -> m.put("init." + k, v));
        m.put("distribution", dist.toString());
        m.put("seed", Long.toUnsignedString(r.seed()));
        m.put("stream", Long.toUnsignedString(r.stream()));
        if (name != null) m.put("stream_name", name);
        m.put("layout", r.layout().id());
        m.put("dtype", r.dtype().id());
        m.put("global_shape", r.shape().toString());
        switch (r.region()) {
            case Region.Whole w -> m.put("region", "whole");
            case Region.Range g -> {
                m.put("region", "range");
                m.put("range", g.start() + ":" + g.end());
            }
            case Region.Tile t -> {
                m.put("region", "tile");
                m.put("rows", t.row0() + ":" + t.row1());
                m.put("cols", t.col0() + ":" + t.col1());
            }
        }
        m.put("tensorinit_version", Version.get());
        return m;
    }
}
