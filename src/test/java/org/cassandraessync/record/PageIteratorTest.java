package org.cassandraessync.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The read-ahead of pages, as Camel's streaming splitter drives it. */
class PageIteratorTest {

    private final ExecutorService readAhead = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        readAhead.shutdownNow();
    }

    /** Pages 1..{@code pages} of one element each; counts the fetches started. */
    private static PageIterator<Integer> pages(ExecutorService executor, int pages, AtomicInteger fetches) {
        return new PageIterator<>(executor) {
            @Override
            protected List<Integer> fetchNext() {
                int n = fetches.incrementAndGet();
                return n <= pages ? List.of(n) : null;
            }
        };
    }

    @Test
    void the_page_after_is_fetched_while_a_page_is_processed_even_when_hasNext_is_asked_first() {
        AtomicInteger fetches = new AtomicInteger();
        PageIterator<Integer> it = pages(readAhead, 5, fetches);
        // what Camel's splitter does: next(), then hasNext() to mark the last part, then processes the part
        assertThat(it.next()).containsExactly(1);
        assertThat(it.hasNext()).isTrue(); // page 2 is there, waiting for its turn
        // while page 1 is processed, page 3 is already being fetched: nobody calls next() meanwhile
        await().atMost(Duration.ofSeconds(5)).until(() -> fetches.get() == 3);
        assertThat(it.next()).containsExactly(2);
    }

    @Test
    void every_page_comes_once_and_in_order_and_empty_pages_are_skipped() {
        AtomicInteger fetches = new AtomicInteger();
        PageIterator<Integer> it = new PageIterator<>(readAhead) {
            @Override
            protected List<Integer> fetchNext() {
                int n = fetches.incrementAndGet();
                return n > 6 ? null : n % 2 == 0 ? List.of() : List.of(n);
            }
        };
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            seen.addAll(it.next());
            it.hasNext(); // asked twice in a row, as the splitter does: no page is lost or repeated
        }
        assertThat(seen).containsExactly(1, 3, 5);
        assertThat(it.hasNext()).isFalse();
    }
}
