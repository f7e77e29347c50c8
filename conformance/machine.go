package conformance

import (
	"fmt"
	"strings"
)

// Machine says where a result set came from, so results of many machines
// can be told apart and merged (qoslab merge). Runners fill it in with
// DetectMachine and what only they know (target, profile, peer, commit,
// date); fields that could not be found are left empty.
type Machine struct {
	// Name labels the machine in merged reports: the host name, or
	// "model" for the reference model.
	Name    string `json:"name"`
	Target  string `json:"target"`  // "qwave.dll" or "model"
	Profile string `json:"profile"` // "documented" or "windows"
	// OS is the operating system's name ("Windows 11 Pro", "linux"),
	// Version its version ("10.0.22631.4460"), Build the Windows build
	// number and Release its release name ("23H2"), from RtlGetVersion and
	// the registry.
	OS      string `json:"os"`
	Version string `json:"version,omitempty"`
	Build   uint32 `json:"build,omitempty"`
	Release string `json:"release,omitempty"`
	// Wine is Wine's version (wine_get_version) when running under Wine.
	Wine string `json:"wine,omitempty"`
	// Arch is the architecture the suite runs as (GOARCH) and, where it
	// differs, the machine's native one: "386 on amd64".
	Arch string `json:"arch"`
	// QwaveDLL is the path of the qwave.dll tested and QwaveVersion its
	// file version from its version resource; QwaveDLL says "missing" when
	// the file is not there.
	QwaveDLL     string `json:"qwave_dll,omitempty"`
	QwaveVersion string `json:"qwave_version,omitempty"`
	// Elevated is "yes" or "no": whether the suite runs with an elevated
	// (administrator) token.
	Elevated string `json:"elevated,omitempty"`
	// QWAVEService is the state of the QWAVE service: "running",
	// "stopped", "not installed", ...
	QWAVEService string    `json:"qwave_service,omitempty"`
	Adapters     []Adapter `json:"adapters,omitempty"`
	Peer         string    `json:"peer,omitempty"`
	Commit       string    `json:"commit,omitempty"`
	// Date is when the run started, RFC 3339 in UTC.
	Date string `json:"date,omitempty"`
}

// Adapter is one network adapter of the machine.
type Adapter struct {
	Name  string `json:"name"`
	Type  string `json:"type"`            // "ethernet", "wifi", "loopback", "other (IF_TYPE 53)"
	Speed uint64 `json:"speed,omitempty"` // transmit link speed, bit/s
	// Used is true for the adapter the route to the peer leaves by.
	Used bool `json:"used,omitempty"`
}

// String describes the adapter: "eth0 (ethernet, 1 Gbit/s) to the peer".
func (a Adapter) String() string {
	s := a.Name + " (" + a.Type
	if a.Speed > 0 {
		s += ", " + speedString(a.Speed)
	}
	s += ")"
	if a.Used {
		s += " to the peer"
	}
	return s
}

func speedString(bps uint64) string {
	switch {
	case bps >= 1e9 && bps%1e9 == 0:
		return fmt.Sprintf("%d Gbit/s", bps/1e9)
	case bps >= 1e6:
		return fmt.Sprintf("%d Mbit/s", bps/1e6)
	}
	return fmt.Sprintf("%d bit/s", bps)
}

// Platform is the machine in one line: "Windows 11 Pro 10.0.22631 (23H2),
// amd64" or "Windows 10.0.19045, Wine 8.0, amd64".
func (m *Machine) Platform() string {
	if m == nil {
		return ""
	}
	parts := []string{strings.TrimSpace(m.OS + " " + m.Version)}
	if m.Release != "" {
		parts[0] += " (" + m.Release + ")"
	}
	if m.Wine != "" {
		parts = append(parts, "Wine "+m.Wine)
	}
	if m.Arch != "" {
		parts = append(parts, m.Arch)
	}
	return strings.Join(parts, ", ")
}

// Property is one named fact of a machine, as reports list them: Name is
// its JSON key (JUnit property names are "machine." + Name), Label its name
// for people.
type Property struct{ Name, Label, Value string }

// Properties lists the machine's facts that are set, in a fixed order, for
// JUnit properties and the HTML report's header.
func (m *Machine) Properties() []Property {
	if m == nil {
		return nil
	}
	var out []Property
	add := func(name, label, value string) {
		if value != "" {
			out = append(out, Property{name, label, value})
		}
	}
	add("name", "Machine", m.Name)
	add("target", "Target", m.Target)
	add("profile", "Profile", m.Profile)
	add("os", "OS", m.OS)
	add("version", "Version", m.Version)
	if m.Build != 0 {
		add("build", "Build", fmt.Sprint(m.Build))
	}
	add("release", "Release", m.Release)
	add("wine", "Wine", m.Wine)
	add("arch", "Architecture", m.Arch)
	add("qwave_dll", "qwave.dll", m.QwaveDLL)
	add("qwave_version", "qwave.dll version", m.QwaveVersion)
	add("elevated", "Elevated", m.Elevated)
	add("qwave_service", "QWAVE service", m.QWAVEService)
	for i, a := range m.Adapters {
		add(fmt.Sprintf("adapter.%d", i+1), fmt.Sprintf("Adapter %d", i+1), a.String())
	}
	add("peer", "Peer", m.Peer)
	add("commit", "Commit", m.Commit)
	add("date", "Date", m.Date)
	return out
}
