package interactions

// words are an answer's texts that the message package does not word.
type words struct {
	notHere, unknown, failed, nothing, noneRunning string
}

var wording = map[string]words{
	"ja": {
		notHere:     "このチャンネルにはリレーが投稿していません。リレーが通知を送るチャンネルで使ってください。",
		unknown:     "このコマンドまたはオプションには答えられません。",
		failed:      "記録を読めませんでした。少し待ってからもう一度試してください。",
		nothing:     "この期間の記録はありません。",
		noneRunning: "いま稼働中の人はいません。",
	},
	"en": {
		notHere:     "The relay does not post to this channel. Ask in a channel it sends timers to.",
		unknown:     "The relay cannot answer that command or option.",
		failed:      "The relay could not read its records. Try again in a moment.",
		nothing:     "No time was tracked in that period.",
		noneRunning: "Nobody is working now.",
	},
}
