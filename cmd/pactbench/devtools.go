package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// datasetFile, in a kept data directory, describes the generated data so
// that -reuse can measure it again without generating it.
const datasetFile = "pactbench-dataset.json"

type savedDataset struct {
	Scale Scale
	Seed  uint64
	Data  *dataset
}

// saveDataset writes the description of the data next to it.
func saveDataset(dir string, sc Scale, seed uint64, ds *dataset) error {
	b, err := json.Marshal(savedDataset{sc, seed, ds})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, datasetFile), b, 0o644)
}

// loadDataset reads what saveDataset wrote and checks that it is the same
// organisation. Hazard: a reused directory also holds the deployments that
// earlier runs' measurements recorded, so it is close to, not exactly, a
// fresh data set; use it to iterate on a measurement, not for the record.
func loadDataset(dir string, sc Scale, seed uint64) (*dataset, error) {
	b, err := os.ReadFile(filepath.Join(dir, datasetFile))
	if err != nil {
		return nil, fmt.Errorf("-reuse: %w (keep a run's data with -keep first)", err)
	}
	var s savedDataset
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("-reuse: %w", err)
	}
	if s.Scale != sc || s.Seed != seed {
		return nil, fmt.Errorf("-reuse: %s holds %+v seed %d, not %+v seed %d", dir, s.Scale, s.Seed, sc, seed)
	}
	return s.Data, nil
}

// profiler writes a CPU profile of each measured phase, and heap profiles,
// to dir ("" writes nothing). Read them with go tool pprof -top.
type profiler struct{ dir string }

// cpu profiles fn into <dir>/<name>.cpu.pprof.
func (p profiler) cpu(name string, fn func() error) error {
	if p.dir == "" {
		return fn()
	}
	f, err := os.Create(filepath.Join(p.dir, name+".cpu.pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	err = fn()
	pprof.StopCPUProfile()
	return err
}

// heap writes the live heap after a collection to <dir>/<name>.heap.pprof.
func (p profiler) heap(name string) error {
	if p.dir == "" {
		return nil
	}
	runtime.GC()
	f, err := os.Create(filepath.Join(p.dir, name+".heap.pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("heap").WriteTo(f, 0)
}
