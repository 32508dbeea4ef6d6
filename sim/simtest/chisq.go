package simtest

import (
	"fmt"
	"math"
	"sort"
)

// chiSquare999 holds the 0.999 quantiles of the χ² distribution for 1 to 10
// degrees of freedom (standard statistical tables; e.g. NIST/SEMATECH
// e-Handbook, table 1.3.6.7.4).
var chiSquare999 = [...]float64{10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588}

// ChiSquareQuantile999 returns the 0.999 quantile of the χ² distribution
// with df degrees of freedom: from a table up to 10, else by the
// Wilson–Hilferty approximation (within 0.3% there).
func ChiSquareQuantile999(df int) float64 {
	if df <= 0 {
		return 0
	}
	if df <= len(chiSquare999) {
		return chiSquare999[df-1]
	}
	const z = 3.090232306167813 // standard normal 0.999 quantile
	k := float64(df)
	h := 2 / (9 * k)
	return k * math.Pow(1-h+z*math.Sqrt(h), 3)
}

// GoodnessOfFit tests counts (shots samples) against the distribution want
// with Pearson's χ² test at the 0.999 level. Outcomes whose expected count
// is below 5 are pooled into one bin. It returns an error describing the
// failure: a sampled outcome of probability (nearly) 0, a shot total that
// differs, or a statistic above the quantile.
func GoodnessOfFit(counts map[string]int, want map[string]float64, shots int) error {
	total := 0
	keys := make([]string, 0, len(want))
	for k := range counts {
		total += counts[k]
		if want[k] < 1e-12 {
			return fmt.Errorf("outcome %q sampled %d times but its probability is %g", k, counts[k], want[k])
		}
	}
	if total != shots {
		return fmt.Errorf("counts sum to %d, want %d shots", total, shots)
	}
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var stat, poolE float64
	poolO, bins := 0, 0
	for _, k := range keys {
		e := want[k] * float64(shots)
		if e < 5 {
			poolE += e
			poolO += counts[k]
			continue
		}
		d := float64(counts[k]) - e
		stat += d * d / e
		bins++
	}
	if poolE > 0 {
		d := float64(poolO) - poolE
		stat += d * d / max(poolE, 1)
		bins++
	}
	df := bins - 1
	if df == 0 {
		return nil // a single outcome: the shot total already matched
	}
	if q := ChiSquareQuantile999(df); stat > q {
		return fmt.Errorf("χ² = %.2f exceeds the 0.999 quantile %.2f for %d degrees of freedom", stat, q, df)
	}
	return nil
}
