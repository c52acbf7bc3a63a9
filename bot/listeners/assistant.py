"""The assistant pane (Bolt's ``Assistant``): suggested prompts per domain when a thread starts, a
status while the graph works, the thread title set from the first request."""

from __future__ import annotations

from slack_bolt import App, Assistant

from graph.conversations import Thread
from graph.i18n import t
from graph.formatting import tr

ASSISTANT_EVENTS = ("assistant_thread_started", "assistant_thread_context_changed")
# One prompt per domain orchestrator (Slack shows at most four).
PROMPTS = [
    ("campagnes", "Planifier une campagne", "Plan a campaign", "Planifier une campagne de lancement le 1er mars avec 40 k€ sur SEA, Meta et email",
     "Plan a launch campaign on March 1 with €40k on search, Meta and email"),
    ("performance", "Dimensionner un test A/B", "Size an A/B test", "Combien de visiteurs pour détecter +10 % sur un taux de 3 % avec 2000 visiteurs par jour ?",
     "How many visitors to detect +10% on a 3% rate with 2,000 visitors a day?"),
    ("automation", "Scorer un lead", "Score a lead", "Score ce lead : directeur marketing, 500 salariés, a visité la page tarifs 3 fois",
     "Score this lead: marketing director, 500 employees, visited the pricing page 3 times"),
    ("marketing-analytics", "Trouver les fuites du funnel", "Find funnel leaks", "Où sont les drop-offs ? visites 10000, panier 3000, paiement 1200, achat 800",
     "Where are the drop-offs? visits 10000, cart 3000, checkout 1200, purchase 800"),
]


def register(app: App, bot) -> None:
    """Register the Assistant middleware and its listeners."""
    assistant = Assistant()

    @assistant.thread_started
    def start(say, set_suggested_prompts, event, client):
        lang = bot.user_lang(client, event["assistant_thread"]["user_id"])
        say(t(lang, "listeners.assistant.hi_describe_marketing_need"))
        set_suggested_prompts(prompts=[{"title": tr(lang, fr, en), "message": tr(lang, mfr, men)} for _, fr, en, mfr, men in PROMPTS],
                              title=t(lang, "listeners.assistant.example"))

    def working(set_status, payload, client):
        set_status(t(bot.user_lang(client, payload['user']), "listeners.assistant.thinking"))

    def reply(payload, context, client, set_title, body):
        thread = Thread(context.team_id or "", payload["channel"], payload["thread_ts"], payload["user"])
        if not bot.conversations.is_known(thread):
            set_title((payload.get("text") or "marketing-bot")[:80])
        bot.answer(client, thread, payload.get("text") or "", turn_key=f"message:{payload['channel']}:{payload['ts']}", assistant=True,
                   done=(f"event:{body['event_id']}",) if body.get("event_id") else ())

    assistant.user_message(lazy=[reply])(working)
    app.use(assistant)
