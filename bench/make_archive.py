"""A realistic synthetic archive: many channels' Telegram Desktop exports of news-wire posts over two years.

    python bench/make_archive.py OUT [--posts 1000000] [--channels 2000] [--seed 1] [--start 2023-01-01]

Writes ``OUT/<channel>/result.json`` (one export per channel, the JSON Telegram Desktop's "Export chat history"
writes, one message a line), ``OUT/archive.json`` (what was made: counts per language, story sizes, the
knowledge-base entities mentioned and how often) and ``OUT/stories.jsonl`` (the truth about stories: per event its
kind, moment, entities and the (channel id, message id) of every post reporting it, for judging story grouping).
The same seed and options give byte-identical files.

- **Channels**: 2,000 fictional outlets ("Synthetic ... Wire 0042"); sizes Zipf-like (a few large channels,
  a long tail of small ones); each writes in one language, the languages mixed as in the bundled sample
  (``runner.sample_exports()``: about half Arabic, three tenths English, a fifth Persian), a tenth of the
  channels writing Arabic and English as its "Gulf Digest" does.
- **Stories**: every post reports an event (a meeting, a statement, a reported strike "according to" an outlet,
  an official visit, a delegation's talks, remarks to reporters, a ceremony, a parliamentary session) that 1 to
  10 channels report (sizes weighted 1/k), each in its own language within hours of the first, naming the
  same people, places and organisations. Events are spread over two years, more by day than by night.
- **Entities**: drawn from the bundled knowledge base (``kb.loader.load_entities``), from the entries with
  Arabic and Persian names as well as English, with a Zipf-like long tail (a few names in many posts, most in
  few); a post names them by the aliases its language has (mostly the first, sometimes another).
- **Message shapes**, as in the sample and the import benchmark: plain text, formatted text (a bold lead and a
  hashtag as parts), photos not included in the export, edits, forwards of another channel's report, replies,
  a ``create_channel`` service message opening each channel and an occasional ``pin_message``.

The text is templates with names filled in: factual wire-service phrasing only.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from watchfloor.kb.loader import load_entities
from watchfloor.models import Entity

LANGS = ("ar", "en", "fa")
# (share of channels, posts per language): the sample's mix is 27 Arabic, 16 English, 12 Persian posts of 55
CHANNEL_KINDS: list[tuple[float, dict[str, float]]] = [
    (0.45, {"ar": 1.0}), (0.25, {"en": 1.0}), (0.20, {"fa": 1.0}), (0.10, {"ar": 0.7, "en": 0.3}),
]
FIRST_ID = 1_910_000_000  # channel ids: apart from the sample's 19000000xx and the import bench's
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"

WEEKDAYS = {  # Monday first, as datetime.weekday()
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "ar": ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"],
    "fa": ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"],
}
TOPICS = {
    "en": ["the border crossings", "humanitarian aid", "reconstruction", "energy supplies", "trade",
           "a prisoner exchange", "the ceasefire talks", "water sharing", "regional security",
           "the return of displaced families", "electricity shortages", "pilgrims' travel"],
    "ar": ["المعابر الحدودية", "المساعدات الإنسانية", "إعادة الإعمار", "إمدادات الطاقة", "التبادل التجاري",
           "تبادل الأسرى", "مفاوضات وقف إطلاق النار", "تقاسم المياه", "الأمن الإقليمي", "عودة العائلات النازحة",
           "أزمة الكهرباء", "تنظيم رحلات الزوار"],
    "fa": ["گذرگاه‌های مرزی", "کمک‌های بشردوستانه", "بازسازی", "تأمین انرژی", "مبادلات تجاری", "تبادل زندانیان",
           "مذاکرات آتش‌بس", "تقسیم آب", "امنیت منطقه‌ای", "بازگشت خانواده‌های آواره", "کمبود برق",
           "سفر زائران"],
}
MORE = {  # a closing sentence some posts add
    "en": " Further details were not immediately available.",
    "ar": " ولم تتوفر تفاصيل إضافية على الفور.",
    "fa": " جزئیات بیشتری بلافاصله منتشر نشد.",
}
# kind -> language -> wordings; fields: person, person2, place, org, outlet, day, topic
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "meeting": {
        "en": ["{person} met {person2} in {place} on {day} to discuss {topic}, according to a statement from {org}.",
               "{person} and {person2} held talks in {place} on {day} on {topic}, {outlet} reported."],
        "ar": ["التقى {person} {person2} في {place} يوم {day} لبحث {topic}، بحسب بيان صادر عن {org}.",
               "بحث {person} و{person2} في {place} يوم {day} ملف {topic}، وفق ما أفادت {outlet}."],
        "fa": ["{person} روز {day} در {place} با {person2} درباره {topic} دیدار و گفت‌وگو کرد، به گزارش {outlet}.",
               "به گفته {org}، {person} و {person2} روز {day} در {place} درباره {topic} گفت‌وگو کردند."],
    },
    "statement": {
        "en": ["{org} said in a statement on {day} that talks on {topic} would continue in {place} next week.",
               "In a statement issued in {place} on {day}, {org} called for progress on {topic}, {outlet} reported."],
        "ar": ["قال {org} في بيان يوم {day} إن المحادثات حول {topic} ستستأنف في {place} الأسبوع المقبل.",
               "دعا {org} في بيان صدر في {place} يوم {day} إلى إحراز تقدم في ملف {topic}، بحسب {outlet}."],
        "fa": ["{org} روز {day} در بیانیه‌ای اعلام کرد که گفت‌وگوها درباره {topic} هفته آینده در {place} ادامه می‌یابد.",
               "به گزارش {outlet}، {org} روز {day} در بیانیه‌ای در {place} خواستار پیشرفت در زمینه {topic} شد."],
    },
    "strike": {
        "en": ["A strike was reported near {place} on {day}, according to {outlet}; there was no immediate word on "
               "casualties.",
               "Residents reported an explosion near {place} on {day}, according to {outlet}, which said the cause "
               "was not yet known."],
        "ar": ["أفادت {outlet} بوقوع غارة قرب {place} يوم {day}، ولم ترد معلومات فورية عن إصابات.",
               "أفاد سكان بسماع دوي انفجار قرب {place} يوم {day}، بحسب {outlet}، ولم يعرف سببه بعد."],
        "fa": ["به گزارش {outlet}، روز {day} حمله‌ای در نزدیکی {place} گزارش شد و هنوز اطلاعی از تلفات در دست نیست.",
               "ساکنان روز {day} از شنیده شدن صدای انفجار در نزدیکی {place} خبر دادند؛ به گزارش {outlet}، علت آن "
               "هنوز روشن نیست."],
    },
    "visit": {
        "en": ["{person} arrived in {place} on {day} for an official visit, {outlet} reported.",
               "{person} began an official visit to {place} on {day}; talks will focus on {topic}, according to "
               "officials."],
        "ar": ["وصل {person} إلى {place} يوم {day} في زيارة رسمية، بحسب {outlet}.",
               "بدأ {person} يوم {day} زيارة رسمية إلى {place} تتناول {topic}، وفق ما أعلن مسؤولون."],
        "fa": ["{person} روز {day} برای یک سفر رسمی وارد {place} شد، به گزارش {outlet}.",
               "{person} روز {day} سفر رسمی خود به {place} را آغاز کرد؛ به گفته مقام‌ها محور گفت‌وگوها {topic} است."],
    },
    "delegation": {
        "en": ["A delegation from {org} held talks in {place} on {day} on {topic}, according to officials."],
        "ar": ["أجرى وفد من {org} محادثات في {place} يوم {day} حول {topic}، بحسب مسؤولين."],
        "fa": ["هیئتی از {org} روز {day} در {place} درباره {topic} گفت‌وگو کرد، به گفته مقام‌ها."],
    },
    "remarks": {
        "en": ["{person} told reporters in {place} on {day} that discussions on {topic} were continuing."],
        "ar": ["قال {person} للصحفيين في {place} يوم {day} إن المناقشات حول {topic} مستمرة."],
        "fa": ["{person} روز {day} در {place} به خبرنگاران گفت که گفت‌وگوها درباره {topic} ادامه دارد."],
    },
    "ceremony": {
        "en": ["A ceremony was held in {place} on {day}, attended by {person} and representatives of {org}, "
               "{outlet} reported."],
        "ar": ["أقيم في {place} يوم {day} حفل بحضور {person} وممثلين عن {org}، بحسب {outlet}."],
        "fa": ["روز {day} مراسمی در {place} با حضور {person} و نمایندگانی از {org} برگزار شد، به گزارش {outlet}."],
    },
    "session": {
        "en": ["Lawmakers met in {place} on {day} to discuss {topic}, according to {outlet}."],
        "ar": ["عقد نواب جلسة في {place} يوم {day} لمناقشة {topic}، بحسب {outlet}."],
        "fa": ["نمایندگان روز {day} در {place} برای بررسی {topic} تشکیل جلسه دادند، به گزارش {outlet}."],
    },
}
KINDS = list(TEMPLATES)
KIND_WEIGHTS = [18, 16, 14, 14, 10, 10, 8, 10]
ROLES = {"person": "person", "person2": "person", "place": "place", "org": "organization", "outlet": "outlet"}
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 7, 7, 7, 7, 6, 6, 5, 5, 4, 3, 2, 2, 1]  # UTC, more by day


@dataclass
class Channel:
    """One synthetic outlet."""

    index: int
    name: str
    langs: dict[str, float]

    @property
    def channel_id(self) -> int:
        return FIRST_ID + self.index

    @property
    def folder(self) -> str:
        return f"channel_{self.index:05d}"


@dataclass
class Event:
    """What several channels report: a kind, the names it involves, a topic and a moment."""

    kind: str
    names: dict[str, Entity]  # field -> entity
    topic: int
    at: int  # unix seconds of the first report


def _zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


class _Zipf:
    """Draws from ``items`` with weights 1/rank**exponent, the ranks a seeded shuffle."""

    def __init__(self, items: list[Any], exponent: float, rng: random.Random) -> None:
        self.items = list(items)
        rng.shuffle(self.items)
        self.cumulative = _zipf_cumulative(len(self.items), exponent)

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _channels(count: int, rng: random.Random) -> list[Channel]:
    regions = ["Levant", "Iraq", "Gulf", "Persian", "Regional", "Yemen", "Caspian", "Red Sea", "Euphrates", "Sinai"]
    kinds = ["Wire", "Bulletin", "Desk", "Monitor", "Digest", "Dispatch", "Review", "Notes"]
    shares = list(itertools.accumulate(share for share, _ in CHANNEL_KINDS))
    found = []
    for i in range(count):
        langs = CHANNEL_KINDS[bisect.bisect(shares, rng.random() * shares[-1])][1]
        found.append(Channel(i, f"Synthetic {rng.choice(regions)} {rng.choice(kinds)} {i:04d}", langs))
    return found


def _entity_pools(rng: random.Random) -> dict[str, _Zipf]:
    """Per entity type, the knowledge base's entries with names in every language here, Zipf-weighted."""
    by_type: dict[str, list[Entity]] = {}
    for entity in load_entities():
        if entity.status == "kb" and set(LANGS) <= {a.lang for a in entity.aliases}:
            by_type.setdefault(entity.type, []).append(entity)
    return {kind: _Zipf(entities, 1.05, rng) for kind, entities in sorted(by_type.items())}


def _alias(entity: Entity, lang: str, pick: float) -> str:
    """The entity's name in ``lang``: its first alias there mostly, another sometimes (``pick`` in [0, 1))."""
    names: list[str] = [str(a.text) for a in entity.aliases if a.lang == lang]
    if len(names) == 1 or pick < 0.75:
        return names[0]
    return names[1 + int((pick - 0.75) / 0.25 * (len(names) - 1))]


def _stamp(moment: int) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def render(event: Event, lang: str, variant: int, pick: float) -> str:
    """The post's text: the event's template in ``lang`` (wording ``variant``) with its names filled in."""
    wordings = TEMPLATES[event.kind][lang]
    template = wordings[variant % len(wordings)]
    fields = {name: _alias(entity, lang, (pick * (7 + i)) % 1.0) for i, (name, entity) in enumerate(
        event.names.items())}
    fields["day"] = WEEKDAYS[lang][datetime.fromtimestamp(event.at, UTC).weekday()]
    fields["topic"] = TOPICS[lang][event.topic]
    text = template.format(**fields)
    return text + MORE[lang] if variant % 3 == 2 else text


def _message(channel: Channel, message_id: int, moment: int, text: str, shape: random.Random,
             previous_id: int, forwarded_from: str | None, place: str) -> dict[str, Any]:
    """One post as Telegram Desktop writes it, in a shape drawn from ``shape``."""
    message: dict[str, Any] = {"id": message_id, "type": "message", "date": _stamp(moment),
                               "date_unixtime": str(moment), "from": channel.name,
                               "from_id": f"channel{channel.channel_id}"}
    if forwarded_from is not None:
        message["forwarded_from"] = forwarded_from
    roll = shape.random()
    if roll < 0.06:
        edited = moment + shape.randrange(60, 3600)
        message["edited"] = _stamp(edited)
        message["edited_unixtime"] = str(edited)
    if shape.random() < 0.2:
        message.update({"photo": NOT_INCLUDED, "width": 1280, "height": shape.choice((720, 853, 960))})
    if shape.random() < 0.04 and previous_id > 1:
        message["reply_to_message_id"] = previous_id
    if shape.random() < 0.3:  # a bold lead and a hashtag, as a list of parts
        tag = "#" + place.replace(" ", "_").replace("-", "_")
        message["text"] = [{"type": "bold", "text": place}, " | " + text + " ", {"type": "hashtag", "text": tag}]
        message["text_entities"] = [{"type": "bold", "text": place}, {"type": "plain", "text": " | " + text + " "},
                                    {"type": "hashtag", "text": tag}]
    else:
        message["text"] = text
        message["text_entities"] = [{"type": "plain", "text": text}]
    return message


def _service(channel: Channel, ident: int, moment: int, action: str, **more: Any) -> dict[str, Any]:
    return {"id": ident, "type": "service", "date": _stamp(moment), "date_unixtime": str(moment),
            "actor": channel.name, "actor_id": f"channel{channel.channel_id}", "action": action, **more,
            "text": "", "text_entities": []}


@dataclass
class ArchivePlan:
    """What the archive will hold before any file is written: the channels, the events and, per channel, its
    posts as (moment, event index, language, wording, alias pick, index of the channel it forwards or -1)."""

    outlets: list[Channel]
    events: list[Event]
    planned: list[list[tuple[int, int, str, int, float, int]]]
    sizes: Counter[int]
    multichannel: int
    first: int  # unix seconds of the first day


def plan_archive(posts: int = 1_000_000, channels: int = 2_000, seed: int = 1,
                 start: datetime = datetime(2023, 1, 1, tzinfo=UTC), days: int = 730) -> ArchivePlan:
    """The channels, events and posts of the archive ``make_archive`` writes with the same options."""
    if posts < 1 or channels < 1:
        raise ValueError("--posts and --channels must be positive")
    rng = random.Random(seed)
    outlets = _channels(channels, rng)
    pools = _entity_pools(rng)
    channel_draw = _Zipf(outlets, 0.7, rng)  # a few large channels, a long tail of small ones
    size_cumulative = _zipf_cumulative(10, 1.0)
    hour_cumulative = list(itertools.accumulate(HOUR_WEIGHTS))
    kind_cumulative = list(itertools.accumulate(KIND_WEIGHTS))
    first = int(start.timestamp())
    events: list[Event] = []
    planned: list[list[tuple[int, int, str, int, float, int]]] = [[] for _ in outlets]
    sizes: Counter[int] = Counter()
    multichannel = 0
    made = 0
    while made < posts:
        size = min(1 + bisect.bisect(size_cumulative, rng.random() * size_cumulative[-1]), posts - made,
                   channels)
        kind = KINDS[bisect.bisect(kind_cumulative, rng.random() * kind_cumulative[-1])]
        fields = sorted({field for wording in TEMPLATES[kind]["en"] for field in ROLES if "{" + field + "}" in wording})
        names: dict[str, Entity] = {}
        for field in fields:
            entity = pools[ROLES[field]].draw(rng)
            while field == "person2" and entity.id == names["person"].id:
                entity = pools["person"].draw(rng)
            names[field] = entity
        hour = bisect.bisect(hour_cumulative, rng.random() * hour_cumulative[-1])
        at = first + rng.randrange(days) * 86400 + hour * 3600 + rng.randrange(3600)
        event = Event(kind, names, rng.randrange(len(TOPICS["en"])), at)
        events.append(event)
        reporting: list[Channel] = []
        while len(reporting) < size:
            channel = channel_draw.draw(rng)
            if all(channel.index != other.index for other in reporting):
                reporting.append(channel)
        origin: tuple[int, str, int, float] | None = None
        for order, channel in enumerate(reporting):
            moment = at if order == 0 else at + min(int(rng.expovariate(1 / 2700)), 6 * 3600)
            langs = list(channel.langs)
            lang = langs[0] if len(langs) == 1 else rng.choices(langs, [channel.langs[x] for x in langs])[0]
            variant, pick, forwards = rng.randrange(6), rng.random(), -1
            if origin is not None and origin[1] == lang and rng.random() < 0.1:  # a forward of the first report
                forwards, _, variant, pick = origin
            planned[channel.index].append((moment, len(events) - 1, lang, variant, pick, forwards))
            if order == 0:
                origin = (channel.index, lang, variant, pick)
        sizes[size] += 1
        multichannel += size > 1
        made += size
    return ArchivePlan(outlets, events, planned, sizes, multichannel, first)


def make_archive(out: Path, posts: int = 1_000_000, channels: int = 2_000, seed: int = 1,
                 start: datetime = datetime(2023, 1, 1, tzinfo=UTC), days: int = 730) -> dict[str, Any]:
    """Write the archive into ``out`` (one folder per channel) and return what was made (also in archive.json)."""
    plan = plan_archive(posts, channels, seed, start, days)
    outlets, events, planned, sizes, multichannel, first = (plan.outlets, plan.events, plan.planned, plan.sizes,
                                                           plan.multichannel, plan.first)
    languages: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    members: list[list[tuple[int, int]]] = [[] for _ in events]  # per story: (channel id, message id)
    for channel, items in zip(outlets, planned, strict=True):
        items.sort()
        shape = random.Random(seed * 1_000_003 + channel.index)
        opened = (items[0][0] if items else first) - 86400 * (1 + shape.randrange(30))
        messages = [_service(channel, 1, opened, "create_channel", title=channel.name)]
        message_id = 1
        for moment, index, lang, variant, pick, forwards in items:
            message_id += 1 + (shape.random() < 0.03)  # a deleted message leaves a gap
            event = events[index]
            text = render(event, lang, variant, pick)
            place = _alias(event.names["place"], lang, 0.0)
            messages.append(_message(channel, message_id, moment, text, shape, messages[-1]["id"],
                                     outlets[forwards].name if forwards >= 0 else None, place))
            members[index].append((channel.channel_id, message_id))
            languages[lang] += 1
            mentions.update({entity.id for entity in event.names.values()})
            if shape.random() < 0.005:
                message_id += 1
                messages.append(_service(channel, message_id, moment + 60, "pin_message",
                                         message_id=message_id - 1))
        folder = out / channel.folder
        folder.mkdir(exist_ok=True)
        head = json.dumps({"name": channel.name, "type": "public_channel", "id": channel.channel_id},
                          ensure_ascii=False)[:-1]
        body = ",\n  ".join(json.dumps(m, ensure_ascii=False) for m in messages)
        (folder / "result.json").write_text(f"{head},\n \"messages\": [\n  {body}\n ]\n}}\n", encoding="utf-8")
        written += len(messages)
    manifest = {
        "seed": seed, "posts": posts, "channels": channels, "messages_written": written,
        "service_messages": written - posts, "start": start.date().isoformat(), "days": days,
        "stories": len(events), "stories_over_several_channels": multichannel,
        "story_sizes": {str(k): sizes[k] for k in sorted(sizes)},
        "languages": {lang: languages[lang] for lang in sorted(languages)},
        "entities_mentioned": len(mentions),
        "mentions": dict(sorted(mentions.items(), key=lambda item: (-item[1], item[0]))),
    }
    with (out / "stories.jsonl").open("w", encoding="utf-8") as stories:
        for number, (event, posted) in enumerate(zip(events, members, strict=True)):
            stories.write(json.dumps({"story": number, "kind": event.kind, "at": _stamp(event.at),
                                      "entities": sorted({e.id for e in event.names.values()}),
                                      "posts": sorted(posted)}) + "\n")
    (out / "archive.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def export_paths(out: Path) -> list[Path]:
    """The archive's exports, in channel order (the paths ``watchfloor import telegram-export`` takes)."""
    return sorted(out.glob("channel_*/result.json"))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write (created; files in it are replaced)")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--channels", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", default="2023-01-01", help="first day (UTC); the archive spans two years")
    args = parser.parse_args()
    start = datetime.strptime(args.start, "%Y-%m-%d").replace(tzinfo=UTC)
    manifest = make_archive(args.out, args.posts, args.channels, args.seed, start)
    summary = {k: v for k, v in manifest.items() if k != "mentions"}
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
