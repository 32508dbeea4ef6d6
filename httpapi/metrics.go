package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/qluster/qluster"
)

// metrics are the API's Prometheus metrics.
type metrics struct {
	requests  *prometheus.HistogramVec
	submitted *prometheus.CounterVec
	jobWait   *prometheus.HistogramVec
	jobRun    *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer, st qluster.JobStore) *metrics {
	m := &metrics{
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "qluster_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern, method and status code.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "code"}),
		submitted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qluster_jobs_submitted_total",
			Help: "Jobs accepted through the API, by backend.",
		}, []string{"backend"}),
		jobWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "qluster_job_queue_seconds",
			Help:    "Time finished jobs spent queued before their last lease, by backend.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 12),
		}, []string{"backend"}),
		jobRun: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "qluster_job_duration_seconds",
			Help:    "Time from lease to finish of finished jobs, by backend and final status.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 12),
		}, []string{"backend", "status"}),
	}
	reg.MustRegister(m.requests, m.submitted, m.jobWait, m.jobRun, &storeCollector{st: st})
	return m
}

// ObserveJob records a finished job's queue time and run time in the job
// duration histograms. Whoever finishes jobs (the in-process workers) calls
// it; a job that is not terminal is ignored.
func (s *Server) ObserveJob(j *qluster.Job) {
	if !j.Status.Terminal() || j.StartedAt.IsZero() || j.FinishedAt.IsZero() {
		return
	}
	s.metrics.jobWait.WithLabelValues(j.Backend).Observe(j.StartedAt.Sub(j.CreatedAt).Seconds())
	s.metrics.jobRun.WithLabelValues(j.Backend, string(j.Status)).Observe(j.FinishedAt.Sub(j.StartedAt).Seconds())
}

// storeCollector reads job counts from the store on every scrape.
type storeCollector struct{ st qluster.JobStore }

var (
	jobsDesc    = prometheus.NewDesc("qluster_jobs", "Jobs in the store by status.", []string{"status"}, nil)
	queueDesc   = prometheus.NewDesc("qluster_queue_depth", "Queued jobs by backend.", []string{"backend"}, nil)
	runningDesc = prometheus.NewDesc("qluster_jobs_running", "Running jobs by backend.", []string{"backend"}, nil)
	storeUpDesc = prometheus.NewDesc("qluster_store_up", "Whether the last read of job statistics succeeded.", nil, nil)
)

// Describe sends the collector's descriptors.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsDesc
	ch <- queueDesc
	ch <- runningDesc
	ch <- storeUpDesc
}

// Collect reads the store's statistics.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.st.Stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(storeUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(storeUpDesc, prometheus.GaugeValue, 1)
	for _, s := range qluster.JobStatuses {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(st.ByStatus[s]), string(s))
	}
	for b, n := range st.Queued {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n), b)
	}
	for b, n := range st.Running {
		ch <- prometheus.MustNewConstMetric(runningDesc, prometheus.GaugeValue, float64(n), b)
	}
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (for Flush).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withMetrics times every request by route pattern and status.
func (s *Server) withMetrics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" || route == "/" {
			route = "unmatched"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Observe(time.Since(start).Seconds())
		s.log.Debug("request", "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "duration", time.Since(start))
	})
}
