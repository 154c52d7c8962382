package interactions

// Discord's application command option types.
const (
	optionString  = 3
	optionBoolean = 5
)

// The commands' names, and /hours' options.
const (
	CommandWorking = "working"
	CommandHours   = "hours"

	optionPeriod = "period"
	optionUser   = "user"
	optionPublic = "public"
)

// The periods /hours answers for, in TIME_ZONE.
const (
	PeriodToday     = "today"
	PeriodYesterday = "yesterday"
	PeriodWeek      = "week"
	PeriodLastWeek  = "last-week"
)

// Command is a slash command as registered: Discord's JSON, from which
// the dispatch is derived too.
type Command struct {
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations,omitempty"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Type                     int               `json:"type"`
	Options                  []CommandOption   `json:"options,omitempty"`
}

// CommandOption is one option of a command.
type CommandOption struct {
	Name                     string            `json:"name"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Type                     int               `json:"type"`
	Required                 bool              `json:"required,omitempty"`
	Autocomplete             bool              `json:"autocomplete,omitempty"`
	Choices                  []OptionChoice    `json:"choices,omitempty"`
}

// OptionChoice is one fixed value of an option.
type OptionChoice struct {
	Name              string            `json:"name"`
	NameLocalizations map[string]string `json:"name_localizations,omitempty"`
	Value             string            `json:"value"`
}

func ja(s string) map[string]string { return map[string]string{"ja": s} }

// Commands are the relay's commands, as `bootstrap commands` registers
// them.
var Commands = []Command{
	{
		Name: CommandWorking, Type: 1,
		Description:              "Who is working now, among the timers this channel is told of",
		DescriptionLocalizations: ja("このチャンネルに通知されるタイマーのうち、いま稼働中の人"),
	},
	{
		Name: CommandHours, Type: 1,
		Description:              "Hours per person, with their top projects",
		DescriptionLocalizations: ja("人ごとの稼働時間と主なプロジェクト"),
		Options: []CommandOption{
			{Name: optionPeriod, Type: optionString, Description: "Which period (default: today)", DescriptionLocalizations: ja("期間 (既定: 今日)"),
				Choices: []OptionChoice{
					{Name: "today", NameLocalizations: ja("今日"), Value: PeriodToday},
					{Name: "yesterday", NameLocalizations: ja("昨日"), Value: PeriodYesterday},
					{Name: "this week", NameLocalizations: ja("今週"), Value: PeriodWeek},
					{Name: "last week", NameLocalizations: ja("先週"), Value: PeriodLastWeek},
				}},
			{Name: optionUser, Type: optionString, Autocomplete: true, Description: "Only this person", DescriptionLocalizations: ja("この人だけ")},
			{Name: optionPublic, Type: optionBoolean, Description: "Show the answer to the channel (default: only to you)", DescriptionLocalizations: ja("チャンネルに表示する (既定: 自分だけ)")},
		},
	},
}
