"""Regenerate the bundled sample Telegram exports and their ground truth from the table below.

    python scripts/make_samples.py

Fictional outlets reporting public events of May 2024, written for this project (MIT).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "watchfloor" / "samples" / "telegram"
LOCAL = timedelta(hours=3)  # the exporting machine's clock: UTC+3
SKIP_PHOTO = "(File not included. Change data exporting settings to download.)"

CHANNELS = {
    1900000001: ("Sample Levant Wire", "levant_wire"),
    1900000002: ("Sample Iraq Bulletin", "iraq_bulletin"),
    1900000003: ("Sample Persian Desk", "persian_desk"),
    1900000004: ("Sample Regional Monitor", "regional_monitor"),
    1900000005: ("Sample Gulf Digest", "gulf_digest"),
}

# (channel, message id, UTC time, event or None, text parts, extra keys)
# text parts: a string, or a list of strings and (entity type, text[, href]) tuples
POSTS: list[tuple[int, int, str, str | None, object, dict[str, object]]] = [
    # --- the crash, 19-20 May 2024
    (1900000002, 20, "2024-05-20 04:10", "crash",
     "أعلنت وسائل إعلام إيرانية رسمية صباح الاثنين وفاة الرئيس الإيراني إبراهيم رئيسي ووزير الخارجية "
     "حسين أمير عبد اللهيان إثر تحطم مروحية كانت تقلهما في شمال غرب إيران.", {}),
    (1900000003, 31, "2024-05-20 04:30", "crash",
     ["رسانه‌های رسمی ایران صبح دوشنبه ۳۱ اردیبهشت ۱۴۰۳ اعلام کردند که ابراهیم رئیسی، رئیس‌جمهور، و "
      "حسین امیرعبداللهیان، وزیر امور خارجه، در سقوط بالگرد در شمال غرب ایران جان باختند. ",
      ("hashtag", "#رئیسی")], {}),
    (1900000004, 50, "2024-05-20 05:05", "crash",
     "Iranian state media said on Monday that President Ebrahim Raisi and Foreign Minister Hossein "
     "Amir-Abdollahian were killed when their helicopter crashed in fog in north-western Iran on Sunday.", {}),
    # --- the funeral procession in Tehran, 22 May 2024
    (1900000003, 32, "2024-05-22 06:20", "funeral",
     "مراسم تشییع پیکر ابراهیم رئیسی و همراهانش صبح چهارشنبه ۲ خرداد ۱۴۰۳ در تهران برگزار شد و "
     "آیت‌الله خامنه‌ای بر پیکرها نماز خواند.", {"photo": SKIP_PHOTO, "width": 1280, "height": 853}),
    (1900000004, 51, "2024-05-22 07:00", "funeral",
     "Large crowds joined the funeral procession for President Ebrahim Raisi in Tehran on Wednesday, "
     "after Supreme Leader Ali Khamenei led prayers over the coffins.", {}),
    (1900000005, 70, "2024-05-22 08:15", "funeral",
     "شارك حشد كبير في تشييع الرئيس الإيراني إبراهيم رئيسي في طهران يوم الأربعاء 14 ذو القعدة 1445، "
     "بعدما أمّ علي خامنئي الصلاة على الجثامين.", {}),
    # --- the meeting of the IRGC and Quds Force heads with faction representatives, 22 May 2024
    (1900000002, 21, "2024-05-23 06:40", "tehran-meeting",
     "عقد قائد الحرس الثوري اللواء حسين سلامي وقائد فيلق القدس إسماعيل قاآني في طهران أمس لقاء موسعا مع "
     "ممثلي فصائل المقاومة على هامش تشييع الرئيس رئيسي، بحضور الناطق باسم أنصار الله محمد عبد السلام "
     "ونائب الأمين العام لحزب الله الشيخ نعيم قاسم. وأكد المجتمعون أن «المقاومة ستواصل دعم غزة حتى "
     "تحقيق النصر الكامل» بحسب البيان.", {}),
    (1900000001, 40, "2024-05-23 07:30", "tehran-meeting",
     ["التقى اللواء حسين سلامي وإسماعيل قاآني في طهران ممثلين عن حماس والجهاد الإسلامي والجبهة الشعبية "
      "لتحرير فلسطين وحزب الله والمقاومة الإسلامية في العراق. وقال نعيم قاسم إن «اللقاء بحث أوضاع غزة "
      "السياسية والعسكرية والاجتماعية». ", ("hashtag", "#طهران")], {}),
    (1900000003, 33, "2024-05-23 08:05", "tehran-meeting",
     "سرلشکر حسین سلامی و سردار قاآنی روز چهارشنبه در تهران با نمایندگان گروه‌های مقاومت از جمله حماس، "
     "جهاد اسلامی، حزب‌الله و انصارالله دیدار کردند. در بیانیه پایانی آمده است که «حمایت از مردم غزه تا "
     "پیروزی کامل ادامه خواهد یافت».", {"photo": SKIP_PHOTO, "width": 1280, "height": 720}),
    (1900000004, 52, "2024-05-23 09:40", "tehran-meeting",
     ["IRGC commander Hossein Salami and Quds Force chief Esmail Qaani met representatives of Hamas, "
      "Palestinian Islamic Jihad, the PFLP, Hezbollah and the Houthis in Tehran on Wednesday, on the "
      "sidelines of Raisi's funeral, ", ("text_link", "a channel affiliated with Iraqi factions",
                                         "https://t.me/iraq_bulletin/21"),
      " reported. Naim Qassem said the talks covered \"the political, military and social situation in Gaza\"."],
     {}),
    # --- Nasrallah's speech, 24 May 2024
    (1900000001, 41, "2024-05-24 16:30", "nasrallah-speech",
     "ألقى الأمين العام لحزب الله السيد حسن نصر الله مساء الجمعة كلمة متلفزة في ذكرى التحرير، وقال إن "
     "«الجبهة في جنوب لبنان ستبقى مساندة لغزة» وفق ما نقلت قناة المنار من بيروت.", {}),
    (1900000003, 34, "2024-05-24 18:00", "nasrallah-speech",
     "سید حسن نصرالله، دبیرکل حزب‌الله لبنان، عصر جمعه در سخنرانی تلویزیونی به مناسبت سالروز آزادسازی جنوب "
     "لبنان در بیروت گفت: «جبهه جنوب لبنان در حمایت از غزه باقی خواهد ماند».", {}),
    (1900000005, 71, "2024-05-24 19:10", "nasrallah-speech",
     "Hezbollah leader Hassan Nasrallah gave a televised speech on Friday marking the anniversary of the "
     "2000 Israeli withdrawal from southern Lebanon, Al-Manar reported from Beirut.", {}),
    # forward of the Levant Wire's report by the Gulf Digest (same text, forwarded_from)
    (1900000005, 72, "2024-05-24 19:20", "nasrallah-speech",
     "ألقى الأمين العام لحزب الله السيد حسن نصر الله مساء الجمعة كلمة متلفزة في ذكرى التحرير، وقال إن "
     "«الجبهة في جنوب لبنان ستبقى مساندة لغزة» وفق ما نقلت قناة المنار من بيروت.",
     {"forwarded_from": "Sample Levant Wire"}),
    # --- a claim by the Houthi military spokesman, 27 May 2024
    (1900000004, 53, "2024-05-27 15:00", "saree-claim",
     "Houthi military spokesman Yahya Saree said in a televised statement that the group had targeted a "
     "commercial vessel in the Red Sea. The claim could not be independently verified.", {}),
    (1900000005, 73, "2024-05-27 15:40", "saree-claim",
     ["قال المتحدث العسكري باسم الحوثيين العميد يحيى سريع في بيان متلفز إن قواته استهدفت سفينة تجارية في "
      "البحر الأحمر، ولم يتسن التحقق من الادعاء بشكل مستقل. ", ("hashtag", "#البحر_الأحمر")], {}),
    (1900000001, 42, "2024-05-27 16:05", "saree-claim",
     "أعلن يحيى سريع في بيان أن القوات المسلحة اليمنية استهدفت سفينة في البحر الأحمر، بحسب ما أوردته قناة المسيرة.",
     {}),
    # --- single-channel posts (distractors)
    (1900000001, 39, "2024-05-18 09:00", None,
     "وصل وفد من حركة حماس إلى القاهرة لإجراء محادثات بشأن وقف إطلاق النار في غزة، بحسب مصادر مصرية.", {}),
    (1900000002, 22, "2024-05-25 10:00", None,
     "أحيت هيئة الحشد الشعبي في بغداد ذكرى تأسيسها بعرض رسمي، بحسب بيان صادر عن الهيئة.", {}),
    (1900000002, 23, "2024-05-25 10:30", None,
     "للاطلاع على البيان الكامل: ", {"reply_to_message_id": 22}),
    (1900000003, 35, "2024-05-25 14:00", None,
     "پیکر ابراهیم رئیسی پنجشنبه گذشته در مشهد به خاک سپرده شد.", {}),
    (1900000004, 54, "2024-05-28 08:00", None,
     ["Weekly digest: Iraqi officials discussed electricity imports at a meeting in Baghdad. More: ",
      ("link", "https://t.me/regional_monitor/54")], {}),
    (1900000005, 74, "2024-05-28 09:00", None,
     "Taliban spokesman Zabihullah Mujahid said a delegation would travel to Doha for talks.", {}),
    (1900000004, 55, "2024-05-29 12:00", None,
     "Correction to our earlier digest: the meeting in Baghdad discussed electricity and gas imports.",
     {"edited_unixtime": "1716987600", "edited": "2024-05-29T16:00:00"}),
]
SERVICE = [
    (1900000004, 1, "2024-05-01 08:00", {"action": "create_channel", "title": "Sample Regional Monitor"}),
    (1900000001, 43, "2024-05-28 08:00", {"action": "pin_message", "message_id": 39}),
]
TITLES = {
    "crash": "Reports that President Raisi and Foreign Minister Amir-Abdollahian died in a helicopter crash",
    "funeral": "Funeral procession for President Raisi in Tehran, 22 May 2024",
    "tehran-meeting": "Salami and Qaani meet faction representatives in Tehran, 22 May 2024",
    "nasrallah-speech": "Nasrallah's televised speech on the anniversary of the 2000 withdrawal, 24 May 2024",
    "saree-claim": "Houthi military spokesman's claim about a vessel in the Red Sea, 27 May 2024",
}


def _times(utc: str) -> tuple[str, str]:
    moment = datetime.strptime(utc, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    return (moment + LOCAL).replace(tzinfo=None).isoformat(), str(int(moment.timestamp()))


def _text(parts: object) -> tuple[object, list[dict[str, str]]]:
    if isinstance(parts, str):
        return parts, [{"type": "plain", "text": parts}]
    text: list[object] = []
    entities: list[dict[str, str]] = []
    for part in parts:  # type: ignore[attr-defined]
        if isinstance(part, str):
            text.append(part)
            entities.append({"type": "plain", "text": part})
        else:
            entity = {"type": part[0], "text": part[1]}
            if len(part) > 2:
                entity["href"] = part[2]
            text.append(entity)
            entities.append(entity)
    return text, entities


def main() -> None:
    messages: dict[int, list[dict[str, object]]] = {cid: [] for cid in CHANNELS}
    for cid, mid, utc, extra in SERVICE:
        local, unix = _times(utc)
        name = CHANNELS[cid][0]
        messages[cid].append({"id": mid, "type": "service", "date": local, "date_unixtime": unix, "actor": name,
                              "actor_id": f"channel{cid}", **extra, "text": "", "text_entities": []})
    events: dict[str, list[str]] = {}
    for cid, mid, utc, event, parts, extra in POSTS:
        local, unix = _times(utc)
        text, entities = _text(parts)
        messages[cid].append({"id": mid, "type": "message", "date": local, "date_unixtime": unix,
                              "from": CHANNELS[cid][0], "from_id": f"channel{cid}", **extra,
                              "text": text, "text_entities": entities})
        if event:
            events.setdefault(event, []).append(f"{cid}/{mid}")
    for cid, (name, folder) in CHANNELS.items():
        path = OUT / folder / "result.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(messages[cid], key=lambda m: int(str(m["id"])))
        path.write_text(json.dumps({"name": name, "type": "public_channel", "id": cid, "messages": ordered},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    lines = ["# Ground truth: the events of the sample and the posts that report each", "",
             "Generated by `scripts/make_samples.py`; tests read this file.", ""]
    for event, members in events.items():
        lines += [f"## {TITLES[event]}", ""] + [f"- {m}" for m in members] + [""]
    (OUT / "EVENTS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
