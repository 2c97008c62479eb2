package dev.balora.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records which tensors of a checkpoint an architecture read and logs the ones it left unused.
 *
 * <p>An architecture loads through {@link #track(TensorSource)} and calls {@link #logUnused()} when done.
 * Unused tensors usually mean a head the model does not have or a naming mismatch, so they are logged at WARN
 * with the checkpoint's location; those the architecture declares harmless (tied {@code lm_head.weight},
 * rotary {@code inv_freq} buffers) go to INFO. Closing the tracker does not close the source: its owner does.
 */
public final class TensorUsage implements TensorSource {
    private static final Logger LOG = LoggerFactory.getLogger(TensorUsage.class);
    /** How many unused names one log line lists before it only counts the rest. */
    private static final int LISTED = 20;

    private final TensorSource source;
    private final Set<String> used = ConcurrentHashMap.newKeySet();

    private TensorUsage(TensorSource source) {
        this.source = source;
    }

    /** Wraps {@code source}; every tensor read or loaded through the wrapper counts as used. */
    public static TensorUsage track(TensorSource source) {
        return new TensorUsage(source);
    }

    /**
     * Logs the tensors of {@code source} not among {@code consumed}, for an architecture that keeps its own list.
     *
     * @return the unused names, in the source's order
     */
    public static List<String> logUnused(TensorSource source, Collection<String> consumed) {
        return track(source).markUsed(consumed).logUnused();
    }

    /** Counts tensors as used without reading them (e.g. a tied weight read once under another name). */
    public TensorUsage markUsed(Collection<String> names) {
        used.addAll(names);
        return this;
    }

    /** Same as {@link #markUsed(Collection)}. */
    public TensorUsage markUsed(String... names) {
        return markUsed(List.of(names));
    }

    /** The names read so far (or marked used). */
    public Set<String> used() {
        return Collections.unmodifiableSet(used);
    }

    /** The source's tensors not used so far, in the source's order. */
    public List<String> unused() {
        List<String> out = new ArrayList<>();
        for (String name : source.names()) {
            if (!used.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Logs every unused tensor at WARN, naming the checkpoint.
     *
     * @return the unused names
     */
    public List<String> logUnused() {
        return logUnused(name -> false);
    }

    /**
     * Logs unused tensors: those {@code expected} accepts at INFO, the others at WARN, naming the checkpoint.
     *
     * @param expected names the architecture knows it does not need
     * @return all unused names, expected ones included
     */
    public List<String> logUnused(Predicate<String> expected) {
        List<String> unused = unused();
        List<String> surprising = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (String name : unused) {
            (expected.test(name) ? known : surprising).add(name);
        }
        if (!surprising.isEmpty()) {
            LOG.warn("{}: {} tensor(s) of the checkpoint were not used by the model: {}", source.location(),
                    surprising.size(), abbreviate(surprising));
        }
        if (!known.isEmpty()) {
            LOG.info("{}: {} tensor(s) the model does not need were skipped: {}", source.location(), known.size(),
                    abbreviate(known));
        }
        return unused;
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= LISTED) {
            return names.toString();
        }
        return names.subList(0, LISTED) + " and " + (names.size() - LISTED) + " more";
    }

    @Override
    public String location() {
        return source.location();
    }

    @Override
    public Set<String> names() {
        return source.names();
    }

    @Override
    public boolean contains(String name) {
        return source.contains(name);
    }

    @Override
    public TensorInfo info(String name) {
        return source.info(name);
    }

    @Override
    public float[] readFloats(String name) {
        float[] values = source.readFloats(name);
        used.add(name);
        return values;
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        NDArray array = source.load(name, manager);
        used.add(name);
        return array;
    }

    @Override
    public void requireAll(Collection<String> required) {
        source.requireAll(required);
    }

    @Override
    public void close() {
        // The source belongs to whoever opened it.
    }
}
