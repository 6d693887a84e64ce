package io.github.kafkaconnectastro.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BenchSummaryTest {

    @Test
    void mediansOfRatesTimesAndPlainNumbersKeepTheUnit() {
        assertEquals("51,972/s", BenchSummary.median(List.of("53,329/s (rounds: 43,714/s, 53,329/s)",
                "49,172/s (rounds: 1/s)", "51,972/s")));
        assertEquals("6.8 ms", BenchSummary.median(List.of("6.7 ms", "6.8 ms", "6.8 ms")));
        assertEquals("6.0 ms", BenchSummary.median(List.of("5.9 ms", "6.0 ms", "6.1 ms")));
        assertEquals("8.75 s CPU", BenchSummary.median(List.of("8.6 s CPU", "8.9 s CPU")));
        assertEquals("8.6 s CPU", BenchSummary.median(List.of("8.6 s CPU", "8.6 s CPU")));
        assertEquals("0.18", BenchSummary.median(List.of("0.19", "0.17", "0.18")));
        assertEquals("95.0 s", BenchSummary.median(List.of("95.0 s (+5.6 %)", "95 s", "96 s")));
        assertEquals("2", BenchSummary.median(List.of("2", "2", "2")));
        assertEquals("1.30 µs", BenchSummary.median(List.of("1.30 µs", "1.95 µs", "1.20 µs")));
    }

    @Test
    void figuresAreNamedByTheirSectionSoThatTypedAndRawKeepTheirOwnRows() {
        Map<String, String> figures = BenchSummary.figures(List.of(
                "## Throughput, typed values", "", "| figure | measured | target | met |", "|---|---|---|---|",
                "| connector rate (median) | 28,000/s (rounds: 28,000/s) | | |", "",
                "## Throughput, raw values", "", "| figure | measured | target | met |", "|---|---|---|---|",
                "| connector rate (median) | 44,000/s | | |", "",
                "| per record | typed: connector | raw: connector |", "|---|---|---|",
                "| rate (median) | 28,000/s | 44,000/s |"));

        assertEquals(Map.of(
                "Throughput, typed values › connector rate (median)", "28,000/s (rounds: 28,000/s)",
                "Throughput, raw values › connector rate (median)", "44,000/s",
                "Throughput, raw values › rate (median)", "28,000/s"), figures);
    }

    @Test
    void figuresThatAreNotOneNumberHaveNoMedian() {
        assertNull(BenchSummary.median(List.of("0 / 0", "0 / 0")));
        assertNull(BenchSummary.median(List.of("16.0 of 16.0 MiB")));
        assertNull(BenchSummary.median(List.of("6.7 ms", "yes")));
    }
}
