package qos

import (
	"strconv"

	"github.com/winqos/winqos/qwave"
)

// Class is a traffic class, one of the qWAVE traffic types
// (QOS_TRAFFIC_TYPE). Its marks are documented on the QOS_TRAFFIC_TYPE page.
type Class uint8

// The traffic classes, with the DSCP value and 802.1p tag Windows sends.
const (
	BestEffort      Class = Class(qwave.QOSTrafficTypeBestEffort)      // DSCP 0, 802.1p 0: no priority
	Background      Class = Class(qwave.QOSTrafficTypeBackground)      // DSCP 0x08, 802.1p 2
	ExcellentEffort Class = Class(qwave.QOSTrafficTypeExcellentEffort) // DSCP 0x28, 802.1p 5
	AudioVideo      Class = Class(qwave.QOSTrafficTypeAudioVideo)      // DSCP 0x28, 802.1p 5
	Voice           Class = Class(qwave.QOSTrafficTypeVoice)           // DSCP 0x38, 802.1p 7
	Control         Class = Class(qwave.QOSTrafficTypeControl)         // DSCP 0x38, 802.1p 7
)

var classNames = [...]string{"BestEffort", "Background", "ExcellentEffort", "AudioVideo", "Voice", "Control"}

// String returns the class's name, e.g. "Voice".
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "Class(" + strconv.Itoa(int(c)) + ")"
}

// TrafficType returns the class as a qwave traffic type.
func (c Class) TrafficType() qwave.QOS_TRAFFIC_TYPE { return qwave.QOS_TRAFFIC_TYPE(c) }

// valid reports whether c is one of the classes.
func (c Class) valid() bool { return int(c) < len(classNames) }

// DSCP returns the DSCP value Windows marks the class's packets with.
func (c Class) DSCP() uint8 {
	dscp, _, _ := c.TrafficType().Marks()
	return dscp
}

// IEEE8021p returns the 802.1p tag Windows gives the class's frames on an
// adaptive flow to an on-link host.
func (c Class) IEEE8021p() uint8 {
	_, tag, _ := c.TrafficType().Marks()
	return tag
}

// ClassOf returns the class whose DSCP value is nearest to dscp (0-63;
// larger values count as 63). Between two classes with the same value it
// picks the one meant for media, AudioVideo over ExcellentEffort and Voice
// over Control; halfway between two values it picks the lower, so no traffic
// gets more priority than asked for.
func ClassOf(dscp uint8) Class {
	best, bestDist := BestEffort, 64
	for _, c := range [...]Class{BestEffort, Background, AudioVideo, Voice} {
		d := int(c.DSCP()) - int(min(dscp, 63))
		if d < 0 {
			d = -d
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
