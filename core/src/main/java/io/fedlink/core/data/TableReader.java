package io.fedlink.core.data;

import java.util.List;

/**
 * A regression table in a file, as {@link RegressionTable} reads it: named columns and rows of
 * numbers, read as often as needed (a federation reads its file more than once rather than keep
 * other clients' rows). Parsing is the reader's (the command line reads CSV); the mathematics, here.
 */
public interface TableReader {

    /** The file's name, for messages and reports. */
    String name();

    /** The column names of the header (line 1), in file order. */
    List<String> columns();

    /**
     * A digest of the file's bytes (hex), so that nodes of a cluster can tell whether they read the
     * same data.
     */
    String digest();

    /**
     * Reads every data row in file order and hands the visitor the values of the chosen columns.
     *
     * @param columns indexes into {@link #columns()}
     * @throws DataFileException naming the file, line and column of a cell that is not a finite number,
     *                           or of a row with too few cells
     */
    void read(int[] columns, RowVisitor visitor);

    /** One data row. */
    @FunctionalInterface
    interface RowVisitor {
        /**
         * @param row    0 for the first data row (line 2 of the file)
         * @param values the chosen columns' values, in the order asked for; reused for the next row
         */
        void row(int row, double[] values);
    }
}
