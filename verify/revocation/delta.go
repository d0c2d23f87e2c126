package revocation

import "fmt"

// DeltaError says why a delta does not apply to a set: the set is not the
// version the delta was computed from. The caller then downloads a full
// snapshot instead.
type DeltaError struct {
	// AlreadyListed insertions were in the set already.
	AlreadyListed int
	// NotListed deletions were not in the set.
	NotListed int
	// Both is the number of hashes both inserted and deleted.
	Both int
}

func (e *DeltaError) Error() string {
	return fmt.Sprintf("delta does not apply: %d insertions already listed, %d deletions not listed, %d hashes both inserted and deleted",
		e.AlreadyListed, e.NotListed, e.Both)
}

// Apply returns the set with the insertions added and the deletions
// removed. A delta applies only exactly, since anything else means the set
// is not the version the delta starts from: every insertion must be absent
// from s, every deletion present, and no hash both inserted and deleted;
// otherwise Apply returns a *DeltaError and no set.
func (s *Set) Apply(insertions, deletions *Set) (*Set, error) {
	base, ins, del := s.Hashes(), insertions.Hashes(), deletions.Hashes()
	var e DeltaError
	e.AlreadyListed = countCommon(base, ins)
	e.NotListed = len(del) - countCommon(base, del)
	e.Both = countCommon(ins, del)
	if e != (DeltaError{}) {
		return nil, &e
	}
	out := make([]Hash, 0, len(base)+len(ins)-len(del))
	i, j, k := 0, 0, 0
	for i < len(base) || j < len(ins) {
		switch {
		case i < len(base) && k < len(del) && base[i] == del[k]:
			i, k = i+1, k+1
		case j == len(ins) || (i < len(base) && compare(&base[i], &ins[j]) < 0):
			out = append(out, base[i])
			i++
		default:
			out = append(out, ins[j])
			j++
		}
	}
	return newSorted(out), nil
}

// countCommon counts the hashes in both sorted lists.
func countCommon(a, b []Hash) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch c := compare(&a[i], &b[j]); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			n, i, j = n+1, i+1, j+1
		}
	}
	return n
}
