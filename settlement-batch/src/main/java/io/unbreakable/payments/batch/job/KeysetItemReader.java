package io.unbreakable.payments.batch.job;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.ToLongFunction;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads page by page with a keyset on an increasing id (never OFFSET, so page N costs what page 1
 * does). It keeps no restart state on purpose: the jobs' queries only return work not yet done, so a
 * restarted run reads exactly what is left.
 */
public class KeysetItemReader<T> implements ItemReader<T> {

    @FunctionalInterface
    public interface PageQuery<T> {
        List<T> after(long lastKey, int pageSize);
    }

    private final PageQuery<T> query;
    private final ToLongFunction<T> key;
    private final int pageSize;
    private final Deque<T> page = new ArrayDeque<>();
    private long lastKey;
    private boolean exhausted;

    public KeysetItemReader(PageQuery<T> query, ToLongFunction<T> key, int pageSize) {
        this(query, key, pageSize, 0);
    }

    /** Reads the keys after {@code startAfter}: a partition's share of the keys starts there. */
    public KeysetItemReader(PageQuery<T> query, ToLongFunction<T> key, int pageSize, long startAfter) {
        this.query = query;
        this.key = key;
        this.pageSize = pageSize;
        this.lastKey = startAfter;
    }

    @Override
    public T read() {
        if (page.isEmpty() && !exhausted) {
            List<T> next = query.after(lastKey, pageSize);
            exhausted = next.size() < pageSize;
            page.addAll(next);
            if (!next.isEmpty()) {
                lastKey = key.applyAsLong(next.get(next.size() - 1));
            }
        }
        return page.poll();
    }
}
