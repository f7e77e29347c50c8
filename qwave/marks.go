package qwave

// trafficMarks are the marks "Sent traffic carries" for each traffic type,
// from the QOS_TRAFFIC_TYPE page: DSCP value and 802.1p tag.
var trafficMarks = [...]struct{ dscp, ieee8021p uint8 }{
	QOSTrafficTypeBestEffort:      {0, 0},
	QOSTrafficTypeBackground:      {0x08, 2},
	QOSTrafficTypeExcellentEffort: {0x28, 5},
	QOSTrafficTypeAudioVideo:      {0x28, 5},
	QOSTrafficTypeVoice:           {0x38, 7},
	QOSTrafficTypeControl:         {0x38, 7},
}

// Marks returns the DSCP value and 802.1p tag that the QOS_TRAFFIC_TYPE page
// documents for t's traffic; ok is false for a value that is not a traffic
// type. The 802.1p tag is sent only on an adaptive flow to an on-link host
// (see QOSTrafficTypeBestEffort's page).
func (t QOS_TRAFFIC_TYPE) Marks() (dscp, ieee8021p uint8, ok bool) {
	if t < 0 || int(t) >= len(trafficMarks) {
		return 0, 0, false
	}
	m := trafficMarks[t]
	return m.dscp, m.ieee8021p, true
}
