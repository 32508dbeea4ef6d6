package device

func componentSizes(d *Device) []int {
	var out []int
	for _, c := range d.ConnectedComponents() {
		out = append(out, len(c))
	}
	return out
}
