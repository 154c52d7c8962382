package message

import (
	"strconv"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/summary"
)

// japanese keeps the seed article's wording: "{who} が {what} を開始しました."
var japanese = Language{
	Code:        "ja",
	UnknownUser: "不明なユーザー",
	Break:       "休憩",
	Sentence: func(event clockify.EventType, who, what, took string) string {
		timer, entry := "タイマー", "時間エントリー"
		if what != "" {
			timer, entry = " "+what+" ", " "+what+" の時間エントリー"
		}
		in := ""
		if took != "" {
			in = " (" + took + ")"
		}
		switch event {
		case clockify.NewTimerStarted:
			return who + " が" + timer + "を開始しました."
		case clockify.TimerStopped:
			return who + " が" + timer + "を終了しました" + in + ". お疲れ様でした."
		case clockify.NewTimeEntry:
			return who + " が" + entry + "を追加しました" + in + "."
		case clockify.TimeEntryUpdated:
			return who + " が" + entry + "を編集しました" + in + "."
		case clockify.TimeEntryDeleted:
			return who + " が" + entry + "を削除しました."
		case clockify.TimeEntrySplit:
			return who + " が" + entry + "を分割しました."
		case clockify.TimeEntryRestored:
			return who + " が" + entry + "を復元しました."
		}
		return ""
	},
	Duration: func(h, m, s int64) string {
		return clock(h, m, s, [3]string{"時間", "分", "秒"}, "")
	},
	Fields: FieldNames{
		Description: "説明",
		Project:     "プロジェクト",
		Client:      "クライアント",
		Task:        "タスク",
		Tags:        "タグ",
		Duration:    "時間",
		Start:       "開始",
		End:         "終了",
		Session:     "開始のメッセージ",
	},
	Reminder: func(who, what, ran string) string {
		if what != "" {
			what = " (" + what + ")"
		}
		return "⏰ " + who + " のタイマーが " + ran + " 動いています" + what + ". 止め忘れていませんか?"
	},
	Board: BoardWords{
		Title: "稼働中",
		Empty: "いま作業中の人はいません",
		More:  func(n int) string { return "ほか " + strconv.Itoa(n) + " 人" },
	},
	Digest: DigestWords{
		Title: func(p summary.Period, loc *time.Location) string {
			if p.Kind == summary.Weekly {
				return "週間ダイジェスト " + jaPeriod(p, loc)
			}
			return "日次ダイジェスト " + jaPeriod(p, loc)
		},
		HoursTitle: func(p summary.Period, loc *time.Location) string { return "稼働時間 " + jaPeriod(p, loc) },
		Totals: func(total string, billable, entries, running int) string {
			line := "合計 **" + total + "** · 請求対象 " + strconv.Itoa(billable) + "% · " + strconv.Itoa(entries) + " 件"
			if running > 0 {
				line += " (うち稼働中 " + strconv.Itoa(running) + " 件)"
			}
			return line
		},
		ByProject: "プロジェクト別",
		NoProject: "プロジェクトなし",
		Other:     "その他",
		Running:   "▶ 稼働中",
		Footer: func(zone string) string {
			return "▶ 稼働中のタイマーは集計時点までを含みます · " + zone
		},
	},
}

// jaDate is "2026年11月27日(金)", or without the year.
func jaDate(t time.Time, year bool) string {
	s := strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日(" + [...]string{"日", "月", "火", "水", "木", "金", "土"}[t.Weekday()] + ")"
	if year {
		s = strconv.Itoa(t.Year()) + "年" + s
	}
	return s
}

// jaPeriod names a period's days: "2026年11月27日(金)", a week's first and
// last, or a window's first and last minutes.
func jaPeriod(p summary.Period, loc *time.Location) string {
	first, last := p.Start.In(loc), p.Last().In(loc)
	if p.Kind == summary.Weekly {
		return jaDate(first, true) + "〜" + jaDate(last, first.Year() != last.Year())
	}
	if end := p.End.In(loc); !p.Aligned() {
		return jaDate(first, false) + " " + first.Format("15:04") + "〜" + jaDate(end, false) + " " + end.Format("15:04")
	}
	return jaDate(first, true)
}
