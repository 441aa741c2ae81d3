package dev.tensorinit.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;

/**
 * A horizontal bar chart of Gfloat/s per backend/peer (series: uniform and normal, f32) on a log axis,
 * so a 0.02 Gfloat/s peer and a 6 Gfloat/s limit are both readable, with the fill limit as a line.
 */
public final class Chart {
    private Chart() {}

    /** One bar: category (backend/peer), series (init) and value in Gfloat/s. */
    public record Bar(String category, String series, double gfloats) {}

    /** One vertical line: a limit in Gfloat/s. */
    public record Limit(String label, double gfloats) {}

    public static void write(Path png, String title, String subtitle, List<Bar> bars, List<Limit> limits) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.MAX_VALUE, max = 0;
        for (Bar b : bars) {
            data.addValue(b.gfloats(), b.series(), b.category());
            min = Math.min(min, b.gfloats());
            max = Math.max(max, b.gfloats());
        }
        for (Limit l : limits) max = Math.max(max, l.gfloats());
        if (bars.isEmpty()) min = max = 1;

        LogAxis value = new LogAxis("Gfloat/s (log scale; GB/s = 4 × Gfloat/s for f32)");
        value.setNumberFormatOverride(new DecimalFormat("0.###"));
        value.setRange(Math.max(1e-4, min / 2), max * 3);
        CategoryAxis cat = new CategoryAxis();
        cat.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        cat.setMaximumCategoryLabelWidthRatio(0.45f);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        r.setSeriesPaint(0, new Color(0x3b75af));
        r.setSeriesPaint(1, new Color(0xef8636));
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.###")));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        CategoryPlot plot = new CategoryPlot(data, cat, value, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        Color[] lineColors = {new Color(0xc0392b), new Color(0x7f8c8d)};
        for (int i = 0; i < limits.size(); i++) {
            Limit l = limits.get(i);
            ValueMarker m = new ValueMarker(l.gfloats(), lineColors[Math.min(i, lineColors.length - 1)], new BasicStroke(2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, i == 0 ? null : new float[] {6f, 4f}, 0f));
            m.setLabel(l.label() + ": " + new DecimalFormat("0.##").format(l.gfloats()) + " Gfloat/s");
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            m.setLabelPaint(lineColors[Math.min(i, lineColors.length - 1)]);
            m.setLabelAnchor(i == 0 ? RectangleAnchor.BOTTOM_LEFT : RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(i == 0 ? TextAnchor.BOTTOM_RIGHT : TextAnchor.TOP_RIGHT);
            plot.addRangeMarker(m, Layer.FOREGROUND);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (subtitle != null && !subtitle.isBlank()) chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        int categories = Math.max(1, data.getColumnCount());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 160 + 46 * categories);
    }
}
