package org.optbench.sweep.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.SweptValue;
import org.optbench.train.RunFiles;

/**
 * A portability study's answer: per device, the mean throughput of its finished trials; per other
 * device against the reference (cpu when it is among them, else the first), the trials run on
 * both, the largest |final loss difference| between them, and the trial pairs that differ by more
 * than the tolerance or where one diverged and the other did not.
 *
 * @param reference  the device others are compared with
 * @param tokensPerS mean tokens per second by device
 * @param comparisons one per other device
 * @param tolerance  the largest difference that counts as agreement
 */
public record DeviceAgreement(String reference, Map<String, Double> tokensPerS, List<Comparison> comparisons,
                              double tolerance) {

    /**
     * One device against the reference.
     *
     * @param device      the device
     * @param pairs       trials finished on both
     * @param maxAbsDiff  the largest |final loss difference| over pairs where both finished
     * @param disagreeing "reference trial / device trial: loss vs loss" for every pair over the tolerance
     */
    public record Comparison(String device, int pairs, double maxAbsDiff, List<String> disagreeing) {
    }

    /** The agreement of {@code trials} over their {@code device} values; null when no trial sets a device. */
    public static DeviceAgreement of(List<TrialRecord> trials, double tolerance) {
        Map<String, Map<String, TrialRecord>> byPoint = new LinkedHashMap<>();   // point without device -> device -> trial
        Map<String, List<Double>> speeds = new TreeMap<>();
        for (TrialRecord t : trials) {
            SweptValue device = t.point().get("device");
            if (device == null || !(t.status() == TrialStatus.COMPLETED || t.status() == TrialStatus.DIVERGED)) {
                continue;
            }
            byPoint.computeIfAbsent(t.optimizer() + " " + t.point().without("device").key() + " seed=" + t.seed(),
                    k -> new TreeMap<>()).put(device.text(), t);
            if (t.result() != null) {
                try {
                    speeds.computeIfAbsent(device.text(), k -> new ArrayList<>())
                            .add((double) RunFiles.parseResult(t.result()).tokensPerS());
                } catch (RuntimeException e) {
                    // a result without throughput adds no speed
                }
            }
        }
        if (byPoint.isEmpty()) {
            return null;
        }
        List<String> devices = new ArrayList<>(new java.util.TreeSet<String>(
                byPoint.values().stream().flatMap(m -> m.keySet().stream()).toList()));
        String reference = devices.contains("cpu") ? "cpu" : devices.get(0);
        Map<String, Double> tokensPerS = new LinkedHashMap<>();
        speeds.forEach((d, list) -> tokensPerS.put(d, list.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        List<Comparison> comparisons = new ArrayList<>();
        for (String device : devices) {
            if (device.equals(reference)) {
                continue;
            }
            int pairs = 0;
            double max = 0;
            List<String> disagreeing = new ArrayList<>();
            for (Map<String, TrialRecord> point : byPoint.values()) {
                TrialRecord r = point.get(reference);
                TrialRecord o = point.get(device);
                if (r == null || o == null) {
                    continue;
                }
                pairs++;
                double lr = Curves.loss(r);
                double lo = Curves.loss(o);
                double diff = Double.isFinite(lr) && Double.isFinite(lo) ? Math.abs(lr - lo)
                        : lr == lo ? 0 : Double.POSITIVE_INFINITY;
                if (Double.isFinite(diff)) {
                    max = Math.max(max, diff);
                }
                if (diff > tolerance) {
                    disagreeing.add(r.id() + " / " + o.id() + ": " + lr + " vs " + lo);
                }
            }
            comparisons.add(new Comparison(device, pairs, max, disagreeing));
        }
        return new DeviceAgreement(reference, tokensPerS, comparisons, tolerance);
    }
}
