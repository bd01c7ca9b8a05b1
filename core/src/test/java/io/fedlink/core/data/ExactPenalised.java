package io.fedlink.core.data;

import java.math.BigDecimal;
import java.math.MathContext;
import org.ejml.data.DMatrixRMaj;

/**
 * P_k = rho (2 X^T W X + rho I)^{-1} computed from the raw data in 50-digit decimal arithmetic
 * (exact products of the doubles, Gauss-Jordan with partial pivoting), then rounded to doubles: a
 * reference that shares nothing with the production code's SVD and is accurate to the last digit,
 * where a double-precision inverse of a system with condition number ~1e5 would carry errors of
 * ~1e-11.
 */
public final class ExactPenalised {

    private static final MathContext CONTEXT = new MathContext(50);

    private ExactPenalised() {
    }

    /** The reference P_k for this client's data and rho. */
    public static DMatrixRMaj of(ClientData data, double rho) {
        final DMatrixRMaj x = data.regressors();
        final int n = data.dimension();
        final BigDecimal twoW = new BigDecimal(2.0 * data.weight());
        final BigDecimal[][] a = new BigDecimal[n][2 * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                BigDecimal dot = BigDecimal.ZERO;
                for (int r = 0; r < data.samples(); r++) {
                    dot = dot.add(new BigDecimal(x.get(r, i)).multiply(new BigDecimal(x.get(r, j))));
                }
                a[i][j] = twoW.multiply(dot).add(i == j ? new BigDecimal(rho) : BigDecimal.ZERO);
                a[i][n + j] = i == j ? new BigDecimal(rho) : BigDecimal.ZERO;    // [A | rho I]
            }
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (a[r][col].abs().compareTo(a[pivot][col].abs()) > 0) {
                    pivot = r;
                }
            }
            final BigDecimal[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            final BigDecimal lead = a[col][col];
            for (int j = 0; j < 2 * n; j++) {
                a[col][j] = a[col][j].divide(lead, CONTEXT);
            }
            for (int r = 0; r < n; r++) {
                if (r != col && a[r][col].signum() != 0) {
                    final BigDecimal factor = a[r][col];
                    for (int j = 0; j < 2 * n; j++) {
                        a[r][j] = a[r][j].subtract(factor.multiply(a[col][j], CONTEXT), CONTEXT);
                    }
                }
            }
        }
        final DMatrixRMaj p = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p.set(i, j, a[i][n + j].doubleValue());
            }
        }
        return p;
    }
}
