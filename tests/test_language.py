"""Language identification with script rules, measured per language."""

from __future__ import annotations

from watchfloor.pipeline.language import detect

SAMPLES = {
    "ar": ["عقد الوفد اجتماعا في بغداد يوم الثلاثاء لبحث الأوضاع الإقليمية.",
           "قال المتحدث باسم الحركة إن المحادثات ستستمر الأسبوع المقبل.",
           "شارك آلاف الأشخاص في مراسم التشييع في طهران.",
           "أعلنت الوزارة عن اجتماع جديد في بيروت.",
           "أصدرت الجماعة بيانا حول حركة الملاحة في البحر الأحمر.",
           "اجتماع في بغداد", "بيان صادر عن المكتب الإعلامي"],
    "fa": ["فرمانده سپاه پاسداران روز چهارشنبه با نمایندگان گروه‌ها در تهران دیدار کرد.",
           "سخنگوی وزارت خارجه گفت که مذاکرات هفته آینده ادامه خواهد یافت.",
           "هزاران نفر در مراسم تشییع در تهران شرکت کردند.",
           "این نشست در حاشیه مراسم رسمی برگزار شد.",
           "خبرگزاری‌ها گزارش دادند که هیئت به بیروت سفر کرده است.",
           "دیدار در تهران", "سردار قاآنی گفت"],
    "ur": ["وزیر خارجہ نے منگل کو اسلام آباد میں ایک اجلاس کی صدارت کی۔",
           "ترجمان نے کہا کہ مذاکرات اگلے ہفتے جاری رہیں گے۔",
           "ہزاروں لوگوں نے جنازے میں شرکت کی۔",
           "اجلاس میں علاقائی صورتحال پر بات چیت ہوئی۔",
           "حکام نے بتایا کہ وفد کابل پہنچ گیا ہے۔",
           "اجلاس ختم ہوگیا", "ترجمان نے کہا"],
    "ps": ["د طالبانو ویاند وویل چې غونډه په کابل کې وشوه.",
           "پلاوی د سه شنبې په ورځ کندهار ته ورسید.",
           "چارواکو وویل چې خبرې به راتلونکې اونۍ ته دوام ومومي.",
           "په غونډه کې د سیمې پر وضعیت خبرې وشوې.",
           "زرګونو کسانو په جنازه کې ګډون وکړ.",
           "ویاند وویل", "غونډه وشوه"],
    "tr": ["Heyet salı günü görüşmeler için Bağdat'a ulaştı.",
           "Sözcü, müzakerelerin gelecek hafta devam edeceğini söyledi.",
           "Binlerce kişi Tahran'daki cenaze törenine katıldı.",
           "Toplantıda bölgesel durum ele alındı.",
           "Bakanlık yeni bir açıklama yaptı.",
           "Toplantı yapıldı", "Açıklama yapıldı"],
    "fr": ["La délégation est arrivée à Bagdad mardi pour des entretiens.",
           "Le porte-parole a déclaré que les discussions se poursuivraient la semaine prochaine.",
           "Des milliers de personnes ont assisté aux funérailles à Téhéran.",
           "La réunion a porté sur la situation régionale.",
           "Le ministère a publié un nouveau communiqué.",
           "Une réunion a eu lieu", "Le porte-parole a déclaré"],
    "en": ["The delegation arrived in Baghdad on Tuesday for talks.",
           "The spokesman said negotiations would continue next week.",
           "Thousands of people attended the funeral in Tehran.",
           "The meeting discussed the regional situation.",
           "The ministry issued a new statement on Wednesday.",
           "Meeting held in Beirut", "Statement issued today"],
}
# "ویاند وویل" has no Pashto-only letter and reads as Persian to every model we have: ps is 6/7 here.
FLOORS = {"ar": 1.0, "fa": 1.0, "ur": 1.0, "ps": 0.85, "tr": 0.85, "fr": 0.85, "en": 0.85}


def test_accuracy_per_language_meets_its_floor() -> None:
    table = {}
    for lang, sentences in SAMPLES.items():
        hits = [detect(s)[0] for s in sentences]
        table[lang] = (sum(h == lang for h in hits) / len(hits), hits)
    print("\n".join(f"{lang}: {acc:.2f} {hits}" for lang, (acc, hits) in table.items()))
    for lang, (accuracy, hits) in table.items():
        assert accuracy >= FLOORS[lang], f"{lang}: {accuracy:.2f} {hits}"


def test_script_rules_settle_pashto_and_urdu() -> None:
    assert detect("ښه ورځ")[0] == "ps"
    assert detect("ٹھیک ہے")[0] == "ur"


def test_empty_noise_and_huge_input() -> None:
    assert detect("") == ("und", 0.0)
    assert detect("#tag https://example.org/x @handle 12345")[0] == "und"
    lang, _ = detect("The meeting was held in Baghdad. " * 40_000)
    assert lang == "en"
