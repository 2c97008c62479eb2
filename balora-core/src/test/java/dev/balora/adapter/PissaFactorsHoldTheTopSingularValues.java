package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.linalg.HostLinalg;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class PissaFactorsHoldTheTopSingularValues {

    @Test
    void exactPissaMatchesAnIndependentSvdOfW() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 11);
            Map<String, double[]> before = new LinkedHashMap<>();
            Map<String, DMatrixRMaj> weights = new LinkedHashMap<>();
            for (Linear l : Layers.linears(model).values()) {
                DMatrixRMaj w = HostLinalg.toHost(l.weight().array());
                weights.put(l.path(), w);
                before.put(l.path(), HostLinalg.singularValues(w));
            }
            int r = 5;
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("all-linear").optRank(r)
                    .optAlpha(16).optInit(InitMethod.PISSA).build());
            double worst = 0;
            for (LoraAdapter a : lora.adapters().values()) {
                // Singular values implied by the adapter: those of s·B·A, by a fresh SVD of that product.
                double[] implied = HostLinalg.singularValues(HostLinalg.toHost(a.deltaWeight(false)));
                double[] exact = before.get(a.path());
                for (int i = 0; i < r; i++) {
                    double rel = Math.abs(implied[i] - exact[i]) / exact[i];
                    worst = Math.max(worst, rel);
                    assertTrue(rel <= 1e-4, a.path() + " sigma_" + i + ": " + implied[i] + " vs " + exact[i]);
                }
                assertTrue(implied[r] < 1e-5 * exact[0], "s·B·A must have rank r");
                // W_res + s·B·A reproduces W (float32 rounding only).
                Linear l = Layers.linears(model).get(a.path());
                DMatrixRMaj sum = HostLinalg.toHost(l.weight().array().add(a.deltaWeight(false)));
                DMatrixRMaj diff = new DMatrixRMaj(sum.numRows, sum.numCols);
                CommonOps_DDRM.subtract(sum, weights.get(a.path()), diff);
                assertTrue(CommonOps_DDRM.elementMaxAbs(diff) < 1e-5, "W_res + sBA != W at " + a.path());
                // The residual's spectrum is the tail of W's.
                double[] res = HostLinalg.singularValues(HostLinalg.toHost(l.weight().array()));
                assertEquals(exact[r], res[0], 1e-4 * exact[0], "residual top singular value = sigma_r of W");
            }
            System.out.printf("exact PiSSA: worst relative singular value error %.3g%n", worst);
        }
    }

    @Test
    void fastPissaIsWithinOnePercentOnADecayingSpectrum() {
        try (NDManager m = NDManager.newBaseManager()) {
            int out = 96;
            int in = 64;
            int r = 8;
            // W = U diag(sigma) V^T with a power-law spectrum like trained weights (sigma_i = 1 / (1 + i)^0.7).
            Random random = new Random(3);
            DMatrixRMaj u = HostLinalg.orthonormalColumns(gaussian(out, in, random));
            DMatrixRMaj v = HostLinalg.orthonormalColumns(gaussian(in, in, random));
            DMatrixRMaj us = u.copy();
            for (int c = 0; c < in; c++) {
                double s = 1.0 / Math.pow(1 + c, 0.7);
                for (int row = 0; row < out; row++) {
                    us.set(row, c, us.get(row, c) * s);
                }
            }
            DMatrixRMaj w = new DMatrixRMaj(out, in);
            CommonOps_DDRM.multTransB(us, v, w);
            double[] exact = HostLinalg.singularValues(w);
            Linear linear = new Linear("proj", HostLinalg.toDevice(w, m), null);
            AdapterInit.Factors f = new PissaFastInit(4, 8, 0).create("proj", linear, r, 1.0, m);
            double[] implied = HostLinalg.singularValues(HostLinalg.toHost(f.b().matMul(f.a())));
            double worst = 0;
            for (int i = 0; i < r; i++) {
                worst = Math.max(worst, Math.abs(implied[i] - exact[i]) / exact[i]);
            }
            System.out.printf("PiSSA-fast niter=4 oversampling=8: worst top-%d relative error %.3g%n", r, worst);
            assertTrue(worst <= 0.01, "top-r singular values off by " + worst);
        }
    }

    private static DMatrixRMaj gaussian(int rows, int cols, Random random) {
        DMatrixRMaj g = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = random.nextGaussian();
        }
        return g;
    }
}
