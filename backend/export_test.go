package backend

// SetSimulatedHook sets the function Run calls before each simulation with
// the engine's name and the physical qubits it simulates.
func (c *Chip) SetSimulatedHook(f func(engine string, physical []int)) { c.simulated = f }
