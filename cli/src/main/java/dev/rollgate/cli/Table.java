package dev.rollgate.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Columns aligned as {@code kubectl get} aligns them (its tabwriter: each column as wide as its
 * widest cell plus 3 spaces, at least 6; the last column not padded), with an upper-case header.
 */
public final class Table {
    private static final int PADDING = 3;
    private static final int MIN_WIDTH = 6;

    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    /** Adds a row; an empty cell shows as {@code <none>}, as in kubectl's custom columns. */
    public Table row(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException(
                    "a row of " + cells.length + " cells in a table of " + rows.get(0).length);
        }
        rows.add(Arrays.stream(cells)
                .map(c -> c == null || c.isEmpty() ? "<none>" : c)
                .toArray(String[]::new));
        return this;
    }

    /** The table, one line per row, each line ending with a newline. */
    public String render() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], Math.max(MIN_WIDTH, row[i].length() + PADDING));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
