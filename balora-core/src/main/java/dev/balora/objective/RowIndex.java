package dev.balora.objective;

/** Which of the given logit rows hold the valid positions (the index behind {@link RegularizerInput#rowsAt}). */
final class RowIndex {

    private RowIndex() {}

    /**
     * The row of each valid position.
     *
     * @param positions the flat position of each given row, increasing; null = every position, in order
     * @param total B*T
     * @param valid flags over the flat positions, length B*T
     * @return row indices in increasing order, null when no position is valid
     * @throws IllegalArgumentException when the flags have the wrong length or a valid position has no row
     */
    static long[] of(int[] positions, int total, boolean[] valid) {
        if (valid.length != total) {
            throw new IllegalArgumentException("valid flags must cover B*T = " + total + " positions, got "
                    + valid.length);
        }
        int n = 0;
        for (boolean v : valid) {
            n += v ? 1 : 0;
        }
        if (n == 0) {
            return null;
        }
        int given = positions == null ? total : positions.length;
        long[] index = new long[n];
        int j = 0;
        for (int r = 0; r < given; r++) {
            if (valid[positions == null ? r : positions[r]]) {
                index[j++] = r;
            }
        }
        if (j != n) {
            throw new IllegalArgumentException(n - j + " valid positions have no logit row: the task computed the"
                    + " output head only at " + given + " positions (a regularizer's positionsRead is incomplete)");
        }
        return index;
    }
}
