package io.fedlink.core.data;

/** A data file that cannot be used, with the file, line and column the message names. */
public final class DataFileException extends IllegalArgumentException {

    public DataFileException(String message) {
        super(message);
    }

    /** "FILE line N, column 'C': problem". */
    public static DataFileException at(String file, long line, String column, String problem) {
        return new DataFileException(file + " line " + line + (column != null ? ", column '" + column + "'" : "")
                + ": " + problem);
    }
}
