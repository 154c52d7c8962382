package message

import (
	"strconv"

	"clockify-discord-relay/lambda/clockify"
)

// japanese keeps the seed article's wording.
var japanese = Language{
	Code:        "ja",
	UnknownUser: "不明なユーザー",
	Sentence: func(event clockify.EventType, who, what, took string) string {
		object := "タイマー"
		if what != "" {
			object = " " + what + " "
		}
		switch event {
		case clockify.NewTimerStarted:
			return who + " が" + object + "を開始しました."
		case clockify.TimerStopped:
			s := who + " が" + object + "を終了しました"
			if took != "" {
				s += " (" + took + ")"
			}
			return s + ". お疲れ様でした."
		}
		return ""
	},
	Duration: func(h, m, s int64) string {
		var out string
		if h > 0 {
			out += strconv.FormatInt(h, 10) + "時間"
		}
		if m > 0 {
			out += strconv.FormatInt(m, 10) + "分"
		}
		if s > 0 || out == "" {
			out += strconv.FormatInt(s, 10) + "秒"
		}
		return out
	},
}
