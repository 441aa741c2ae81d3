package dev.tensorinit;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Distribution's hand-written toStrings say what the records' generated ones would (the CLI writes them into files). */
class DistributionTest {
    /** The text java.lang.Record's generated toString gives: "Name[a=1.0, b=2.0]", each value by String.valueOf. */
    static String generated(Record r) throws ReflectiveOperationException {
        StringBuilder b = new StringBuilder(r.getClass().getSimpleName()).append('[');
        RecordComponent[] cs = r.getClass().getRecordComponents();
        for (int i = 0; i < cs.length; i++) {
            if (i > 0) b.append(", ");
            b.append(cs[i].getName()).append('=').append(cs[i].getAccessor().invoke(r));
        }
        return b.append(']').toString();
    }

    @Test void toStringIsTheRecordFormat() throws ReflectiveOperationException {
        SplittableRandom r = new SplittableRandom(5);
        List<Double> odd = List.of(0.0, -0.0, 1e-5, 0.009882117688026186, 1.0 / 3, 1e300, -2.5);
        for (int i = 0; i < 500; i++) {
            double x = i < odd.size() ? odd.get(i) : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 9));
            double y = Math.abs(x) + 1e-3 + r.nextDouble();
            List<Distribution> ds = List.of(new Distribution.Uniform(x, x + y), new Distribution.Normal(x, y),
                    new Distribution.TruncatedNormal(x, y, x - y, x + 2 * y), new Distribution.Constant(x));
            for (Distribution d : ds) assertEquals(generated((Record) d), d.toString());
        }
        assertEquals("Normal[mean=0.0, std=1.0]", new Distribution.Normal(0, 1).toString());
    }
}
