package io.github.kafkaconnectastro.examples.tiptotals;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** The tips of one channel in one window, per currency: the value the app keeps in its window store. */
record ChannelTipTotals(Map<String, CurrencyTotal> byCurrency) {

    /** No tips yet: where a window's aggregate starts. */
    static ChannelTipTotals none() {
        return new ChannelTipTotals(Map.of());
    }

    /** These totals with the tip added to its currency's. */
    ChannelTipTotals plus(Tip tip) {
        // Sorted, so that a window's results come out in currency order.
        Map<String, CurrencyTotal> next = new TreeMap<>(byCurrency);
        next.merge(tip.currency(), new CurrencyTotal(tip.amount(), 1), CurrencyTotal::plus);
        return new ChannelTipTotals(next);
    }

    /** The sum of a currency's tips and how many there were. */
    record CurrencyTotal(BigDecimal total, long tips) {
        CurrencyTotal plus(CurrencyTotal other) {
            return new CurrencyTotal(total.add(other.total), tips + other.tips);
        }
    }
}
