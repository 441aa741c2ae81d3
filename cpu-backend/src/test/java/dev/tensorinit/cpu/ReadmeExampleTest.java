package dev.tensorinit.cpu;

import dev.tensorinit.*;
import dev.tensorinit.kernel.Reference;
import org.junit.jupiter.api.Test;

import java.lang.foreign.*;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's library example, verbatim, so the README stays true to the API. */
class ReadmeExampleTest {
    @Test
    void readmeLibraryExampleRuns() {
        var request = FillRequest.of(Shape.of(4096, 1024), InitSpec.xavierUniform())  // torch layout [out, in]
                .withSeed(42).withName("layer0.weight")        // stream = SHA-256 of the name
                .withDType(DType.BF16);
        try (var backend = Dispatcher.standard().open();        // best available, or -Dtensorinit.backend=cpu
             var arena = Arena.ofShared()) {
            MemorySegment w = backend.allocateAndFill(arena, request);   // off-heap, > 2^31 elements fine
            float[] small = new float[4096];                              // or fill a Java array / a shard:
            backend.fill(request.withDType(DType.F32).withRegion(Region.range(0, 4096)), MemorySegment.ofArray(small));

            var f32 = request.withDType(DType.F32).kernelArgs();
            for (int i : new int[] {0, 1, 4095}) assertEquals(Reference.valueF32(f32, i), small[i]);
            assertEquals(4096L * 1024 * 2, w.byteSize());
        }
    }
}
