package io.github.kafkaconnectastro.bench;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {

    private static final String CAPTION = "Made by `bench/run.sh --charts docs/images` on 2026-12-06; 2 processors";

    @Test
    void groupedBarsAreWellFormedAndProportionalToTheirValues() throws Exception {
        String svg = SvgChart.grouped("Records per second", "records/s", List.of("typed", "raw"),
                List.of("connector", "ceiling"), new double[][] {{10_000, 40_000}, {20_000, 30_000}}, CAPTION);

        Document doc = parse(svg);
        List<Element> bars = bars(doc);
        assertEquals(4, bars.size());
        double unit = height(bars.get(0)) / 10_000;
        assertTrue(unit > 0);
        assertEquals(40_000 * unit, height(bars.get(1)), 1e-6);
        assertEquals(20_000 * unit, height(bars.get(2)), 1e-6);
        assertEquals(30_000 * unit, height(bars.get(3)), 1e-6);
        assertEquals("40000.0", bars.get(1).getAttribute("data-value"));
        assertEquals("Records per second", doc.getElementsByTagName("title").item(0).getTextContent());
        assertEquals(CAPTION, doc.getElementsByTagName("desc").item(0).getTextContent());
    }

    @Test
    void stackedSegmentsSitOnEachOtherAndSumToTheColumn() throws Exception {
        String svg = SvgChart.stacked("CPU per record", "µs", List.of("connector", "ceiling"),
                List.of("task thread", "GC"), new double[][] {{3, 1}, {2, 0}}, CAPTION);

        List<Element> bars = bars(parse(svg));
        assertEquals(4, bars.size());
        Element first = bars.get(0);
        Element second = bars.get(1);
        assertEquals(3 * height(second), height(first), 1e-6);
        // The second segment starts where the first one ends, higher up.
        assertEquals(Double.parseDouble(first.getAttribute("y")),
                Double.parseDouble(second.getAttribute("y")) + height(second), 1e-6);
        assertEquals(0, height(bars.get(3)), 1e-9);
        assertEquals(2 * height(second), height(bars.get(2)), 1e-6);
    }

    @Test
    void labelsTitlesAndCaptionsAreEscaped() throws Exception {
        String nasty = "a < b & \"c\" > 'd'";
        String svg = SvgChart.grouped(nasty, "<unit>", List.of(nasty), List.of("&series"),
                new double[][] {{1}}, "caption with <tags> & \u0001control");

        Document doc = parse(svg);
        assertEquals(nasty, doc.getElementsByTagName("title").item(0).getTextContent());
        assertEquals("caption with <tags> & control", doc.getElementsByTagName("desc").item(0).getTextContent());
        assertTrue(doc.getDocumentElement().getTextContent().contains("&series"));
    }

    @Test
    void theAxisEndsAtARoundNumberAtOrAboveTheLargestValue() {
        assertEquals(50_000, SvgChart.niceTop(41_234));
        assertEquals(30_000, SvgChart.niceTop(29_024));
        assertEquals(2.5, SvgChart.niceTop(2.1), 1e-9);
        assertEquals(10, SvgChart.niceTop(10));
        assertEquals(1, SvgChart.niceTop(0));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    private static List<Element> bars(Document doc) {
        NodeList rects = doc.getElementsByTagName("rect");
        List<Element> bars = new ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if ("bar".equals(rect.getAttribute("class"))) {
                bars.add(rect);
            }
        }
        return bars;
    }

    private static double height(Element bar) {
        return Double.parseDouble(bar.getAttribute("height"));
    }
}
