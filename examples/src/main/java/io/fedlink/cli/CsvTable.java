package io.fedlink.cli;

import io.fedlink.core.data.DataFileException;
import io.fedlink.core.data.TableReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A regression table in a CSV file (RFC 4180, a header line naming the columns, UTF-8), read with
 * Apache Commons CSV for {@code --data}: every cell of a chosen column must be a finite number, and
 * whatever is not is refused naming the file, line and column.
 */
final class CsvTable implements TableReader {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

    private final Path file;
    private final List<String> columns;

    private CsvTable(Path file, List<String> columns) {
        this.file = file;
        this.columns = columns;
    }

    /**
     * Opens the file and reads its header.
     *
     * @throws DataFileException if it cannot be read, has no header, or names a column twice
     */
    static CsvTable open(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new DataFileException(file + ": no such readable file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(reader)) {
            final List<String> header = parser.getHeaderNames();
            if (header.isEmpty() || header.stream().allMatch(String::isEmpty)) {
                throw DataFileException.at(file.toString(), 1, null, "no header naming the columns");
            }
            return new CsvTable(file, List.copyOf(header));
        } catch (IllegalArgumentException e) {
            if (e instanceof DataFileException d) {
                throw d;
            }
            throw DataFileException.at(file.toString(), 1, null, "the header cannot be read (" + e.getMessage() + ")");
        } catch (IOException | UncheckedIOException e) {
            throw new DataFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public String digest() {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file)), 0, 8);
        } catch (IOException e) {
            throw new DataFileException(file + ": cannot be read (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public void read(int[] chosen, RowVisitor visitor) {
        final double[] values = new double[chosen.length];
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(reader)) {
            int row = 0;
            long line = parser.getCurrentLineNumber() + 1;                // the first data line
            for (CSVRecord record : parser) {
                if (record.size() != columns.size()) {
                    throw DataFileException.at(name(), line, null, "has " + record.size() + " cells, but the header "
                            + "names " + columns.size() + " columns");
                }
                for (int i = 0; i < chosen.length; i++) {
                    final String cell = record.get(chosen[i]);
                    final double v;
                    try {
                        v = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw DataFileException.at(name(), line, columns.get(chosen[i]), "'" + cell
                                + "' is not a number");
                    }
                    if (!Double.isFinite(v)) {
                        throw DataFileException.at(name(), line, columns.get(chosen[i]), "'" + cell
                                + "' is not a finite number");
                    }
                    values[i] = v;
                }
                visitor.row(row++, values);
                line = parser.getCurrentLineNumber() + 1;
            }
        } catch (IOException e) {
            throw new DataFileException(file + ": cannot be read (" + e.getMessage() + ")");
        } catch (UncheckedIOException e) {
            throw new DataFileException(file + ": cannot be read as CSV (" + e.getMessage() + ")");
        }
    }
}
