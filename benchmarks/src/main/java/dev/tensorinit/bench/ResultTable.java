package dev.tensorinit.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * All rows of one run, with each row's ratio to the fill limit of its own memory measured in the same
 * run (same size when measured, else the nearest size), and the lookups the target summary needs.
 */
public final class ResultTable {
    private final List<ResultRow> rows;

    public ResultTable(List<ResultRow> rows) {
        List<ResultRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((ResultRow r) -> r.kind().ordinal())
                .thenComparing(ResultRow::domain)
                .thenComparingInt(ResultRow::log2)
                .thenComparing(ResultRow::who)
                .thenComparing(r -> initOrder(r.init()))
                .thenComparing(ResultRow::dtype, Comparator.reverseOrder()));
        this.rows = List.copyOf(sorted);
    }

    private static int initOrder(String init) {
        return switch (init) {
            case Workload.UNIFORM -> 0;
            case Workload.NORMAL -> 1;
            case Workload.TRUNC_NORMAL -> 2;
            default -> 3;
        };
    }

    public List<ResultRow> rows() { return rows; }

    /** The limit row of a domain at this size, or at the nearest measured size. */
    public Optional<ResultRow> limitFor(String domain, int log2) {
        return rows.stream().filter(r -> r.isDomainLimit() && r.domain().equals(domain))
                .min(Comparator.comparingInt((ResultRow r) -> Math.abs(r.log2() - log2)).thenComparingInt(r -> -r.log2()));
    }

    /** Row GB/s over its limit's GB/s (bytes, so bf16 is compared fairly), or NaN without a limit. */
    public double ratio(ResultRow r) {
        return limitFor(r.domain(), r.log2()).map(l -> r.gbps() / l.gbps()).orElse(Double.NaN);
    }

    /** The first row matching, preferring the largest size not above {@code maxLog2}. */
    public Optional<ResultRow> find(Predicate<ResultRow> p, int maxLog2) {
        return rows.stream().filter(p).filter(r -> r.log2() <= maxLog2).max(Comparator.comparingInt(ResultRow::log2));
    }

    public OptionalDouble best(Predicate<ResultRow> p) {
        return rows.stream().filter(p).mapToDouble(ResultRow::gfloats).max();
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| benchmark | backend / peer | init | dtype | size | Gfloat/s | GB/s | ratio to fill limit |\n");
        b.append("|---|---|---|---|---|---:|---:|---:|\n");
        for (ResultRow r : rows) {
            double q = ratio(r);
            String limitNote = limitFor(r.domain(), r.log2()).filter(l -> l.log2() != r.log2()).map(l -> " (vs 2^" + l.log2() + ")").orElse("");
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | 2^%d | %s | %s | %s |%n", r.kind().label(), r.who(), r.init(), r.dtype(), r.log2(),
                    num(r.gfloats()), num(r.gbps()), Double.isNaN(q) ? "n/a" : String.format(Locale.ROOT, "%.3f%s", q, limitNote)));
        }
        return b.toString();
    }

    /** 3 significant digits, without scientific notation for the range we see (0.001-10000). */
    static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (v >= 1) return String.format(Locale.ROOT, "%.2f", v);
        if (v >= 0.1) return String.format(Locale.ROOT, "%.3f", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
