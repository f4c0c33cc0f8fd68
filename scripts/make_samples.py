"""Regenerate the bundled sample Telegram exports and their ground truth from the table below.

    python scripts/make_samples.py [OUTPUT_FOLDER]

Fictional outlets reporting public events of May and June 2024, written for this project (MIT). The
events are real and public; the wording is ours (quotations are translations or paraphrases of the
published statements, not verbatim copies of any outlet's post).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "watchfloor" / "samples" / "telegram"
LOCAL = timedelta(hours=3)  # the exporting machine's clock: UTC+3 (Baghdad)
SKIP_PHOTO = "(File not included. Change data exporting settings to download.)"

CHANNELS = {
    1900000001: ("Sample Levant Wire", "levant_wire"),          # Arabic
    1900000002: ("Sample Iraq Bulletin", "iraq_bulletin"),      # Arabic
    1900000003: ("Sample Persian Desk", "persian_desk"),        # Persian
    1900000004: ("Sample Regional Monitor", "regional_monitor"),  # English
    1900000005: ("Sample Gulf Digest", "gulf_digest"),          # Arabic and English
}
LEVANT, IRAQ, PERSIAN, REGIONAL, GULF = CHANNELS


def photo(width: int, height: int) -> dict[str, object]:
    return {"photo": SKIP_PHOTO, "width": width, "height": height}


# (channel, message id, UTC time, event or None, text parts, extra keys)
# text parts: a string, or a list of strings and (entity type, text[, href]) tuples
# Message ids rise with time within a channel; the gaps are posts deleted before the export.
POSTS: list[tuple[int, int, str, str | None, object, dict[str, object]]] = [
    # --- the Arab League summit in Manama, 16 May 2024
    (LEVANT, 30, "2024-05-16 14:00", "manama-summit",
     [("bold", "القمة العربية في المنامة"),
      " | دعا البيان الختامي للقمة العربية الثالثة والثلاثين، التي استضافتها المنامة الخميس 16 أيار/مايو 2024، "
      "إلى نشر قوات حماية وحفظ سلام تابعة للأمم المتحدة في الأراضي الفلسطينية المحتلة إلى حين تنفيذ حل "
      "الدولتين. وشارك في القمة قادة دول جامعة الدول العربية. ", ("hashtag", "#البحرين")], {}),
    (GULF, 69, "2024-05-16 15:30", "manama-summit",
     "Arab leaders meeting in Manama for the 33rd Arab League summit called on Thursday for UN protection and "
     "peacekeeping forces to be deployed in the occupied Palestinian territories until a two-state solution is "
     "implemented, according to the summit's final declaration.", photo(1280, 720)),
    # --- the Iraqi parliament fails to elect a speaker, 18 May 2024 (one channel)
    (IRAQ, 17, "2024-05-18 20:30", None,
     "أخفق مجلس النواب العراقي السبت في انتخاب رئيس جديد له، بعدما لم يحصل أي من المرشحين في الجولة الثانية "
     "من التصويت على الأغلبية المطلوبة البالغة 165 صوتا، ورُفعت الجلسة إثر مشادات بين عدد من النواب في بغداد.",
     {}),
    # --- the crash, 19-20 May 2024
    (IRAQ, 19, "2024-05-20 04:10", "crash",
     "أعلنت وسائل إعلام إيرانية رسمية صباح الاثنين وفاة الرئيس الإيراني إبراهيم رئيسي ووزير الخارجية "
     "حسين أمير عبد اللهيان إثر تحطم مروحية كانت تقلهما في شمال غرب إيران.", {}),
    (PERSIAN, 30, "2024-05-20 04:30", "crash",
     ["رسانه‌های رسمی ایران صبح دوشنبه ۳۱ اردیبهشت ۱۴۰۳ اعلام کردند که ابراهیم رئیسی، رئیس‌جمهور، و "
      "حسین امیرعبداللهیان، وزیر امور خارجه، در سقوط بالگرد در شمال غرب ایران جان باختند. ",
      ("hashtag", "#رئیسی")], {}),
    (REGIONAL, 50, "2024-05-20 05:05", "crash",
     "Iranian state media said on Monday that President Ebrahim Raisi and Foreign Minister Hossein "
     "Amir-Abdollahian were killed when their helicopter crashed in fog in north-western Iran on Sunday.", {}),
    # --- the funeral procession in Tehran, 22 May 2024
    (PERSIAN, 31, "2024-05-22 06:20", "funeral",
     "مراسم تشییع پیکر ابراهیم رئیسی و همراهانش صبح چهارشنبه ۲ خرداد ۱۴۰۳ در تهران برگزار شد و "
     "آیت‌الله خامنه‌ای بر پیکرها نماز خواند.", photo(1280, 853)),
    (REGIONAL, 51, "2024-05-22 07:00", "funeral",
     "Large crowds joined the funeral procession for President Ebrahim Raisi in Tehran on Wednesday, "
     "after Supreme Leader Ali Khamenei led prayers over the coffins.", photo(1280, 720)),
    (GULF, 70, "2024-05-22 08:15", "funeral",
     "شارك حشد كبير في تشييع الرئيس الإيراني إبراهيم رئيسي في طهران يوم الأربعاء 14 ذو القعدة 1445، "
     "بعدما أمّ علي خامنئي الصلاة على الجثامين.", {}),
    (IRAQ, 20, "2024-05-22 09:30", "funeral",
     "شيّع عشرات الآلاف في طهران الأربعاء جثامين الرئيس الإيراني إبراهيم رئيسي ورفاقه، بعدما أمّ المرشد "
     "علي خامنئي صلاة الجنازة عليهم في جامعة طهران.", {}),
    # --- the meeting of the IRGC and Quds Force heads with faction representatives, 22 May 2024
    (IRAQ, 21, "2024-05-23 06:40", "tehran-meeting",
     "عقد قائد الحرس الثوري اللواء حسين سلامي وقائد فيلق القدس إسماعيل قاآني في طهران أمس لقاء موسعا مع "
     "ممثلي فصائل المقاومة على هامش تشييع الرئيس رئيسي، بحضور الناطق باسم أنصار الله محمد عبد السلام "
     "ونائب الأمين العام لحزب الله الشيخ نعيم قاسم. وأكد المجتمعون أن «المقاومة ستواصل دعم غزة حتى "
     "تحقيق النصر الكامل» بحسب البيان.", {}),
    (LEVANT, 32, "2024-05-23 07:30", "tehran-meeting",
     ["التقى اللواء حسين سلامي وإسماعيل قاآني في طهران ممثلين عن حماس والجهاد الإسلامي والجبهة الشعبية "
      "لتحرير فلسطين وحزب الله والمقاومة الإسلامية في العراق. وقال نعيم قاسم إن «اللقاء بحث أوضاع غزة "
      "السياسية والعسكرية والاجتماعية». ", ("hashtag", "#طهران")], {}),
    (PERSIAN, 32, "2024-05-23 08:05", "tehran-meeting",
     "سرلشکر حسین سلامی و سردار قاآنی روز چهارشنبه در تهران با نمایندگان گروه‌های مقاومت از جمله حماس، "
     "جهاد اسلامی، حزب‌الله و انصارالله دیدار کردند. در بیانیه پایانی آمده است که «حمایت از مردم غزه تا "
     "پیروزی کامل ادامه خواهد یافت».", photo(1280, 720)),
    (REGIONAL, 52, "2024-05-23 09:40", "tehran-meeting",
     ["IRGC commander Hossein Salami and Quds Force chief Esmail Qaani met representatives of Hamas, "
      "Palestinian Islamic Jihad, the PFLP, Hezbollah and the Houthis in Tehran on Wednesday, on the "
      "sidelines of Raisi's funeral, ", ("text_link", "a channel affiliated with Iraqi factions",
                                         "https://t.me/iraq_bulletin/21"),
      " reported. Naim Qassem said the talks covered \"the political, military and social situation in Gaza\"."],
     {}),
    # --- Raisi's burial in Mashhad, 23 May 2024 (one channel; close to the funeral, but another city and day)
    (PERSIAN, 33, "2024-05-23 16:00", None,
     "پیکر ابراهیم رئیسی روز پنجشنبه در مشهد به خاک سپرده شد.", {}),
    # --- the ICJ order on Rafah, 24 May 2024 (one channel)
    (LEVANT, 33, "2024-05-24 13:40", None,
     "أمرت محكمة العدل الدولية يوم الجمعة إسرائيل بالوقف الفوري لهجومها العسكري على مدينة رفح جنوب قطاع غزة، "
     "وبإبقاء معبر رفح مفتوحا أمام دخول المساعدات الإنسانية، وذلك في إطار الدعوى التي رفعتها جنوب أفريقيا.", {}),
    # --- Nasrallah's speech, 24 May 2024
    (LEVANT, 34, "2024-05-24 16:30", "nasrallah-speech",
     "ألقى الأمين العام لحزب الله السيد حسن نصر الله مساء الجمعة كلمة متلفزة في ذكرى التحرير، وقال إن "
     "«الجبهة في جنوب لبنان ستبقى مساندة لغزة» وفق ما نقلت قناة المنار من بيروت.", {}),
    (PERSIAN, 34, "2024-05-24 18:00", "nasrallah-speech",
     "سید حسن نصرالله، دبیرکل حزب‌الله لبنان، عصر جمعه در سخنرانی تلویزیونی به مناسبت سالروز آزادسازی جنوب "
     "لبنان در بیروت گفت: «جبهه جنوب لبنان در حمایت از غزه باقی خواهد ماند».", {}),
    (GULF, 71, "2024-05-24 19:10", "nasrallah-speech",
     "Hezbollah leader Hassan Nasrallah gave a televised speech on Friday marking the anniversary of the "
     "2000 Israeli withdrawal from southern Lebanon, Al-Manar reported from Beirut.", {}),
    # forward of the Levant Wire's report by the Gulf Digest (same text, forwarded_from)
    (GULF, 72, "2024-05-24 19:20", "nasrallah-speech",
     "ألقى الأمين العام لحزب الله السيد حسن نصر الله مساء الجمعة كلمة متلفزة في ذكرى التحرير، وقال إن "
     "«الجبهة في جنوب لبنان ستبقى مساندة لغزة» وفق ما نقلت قناة المنار من بيروت.",
     {"forwarded_from": "Sample Levant Wire"}),
    # --- a digest on Iraqi electricity imports, and its correction (one channel)
    (REGIONAL, 53, "2024-05-25 08:00", None,
     ["Weekly digest: Iraqi officials discussed electricity imports at a meeting in Baghdad. More: ",
      ("link", "https://t.me/regional_monitor")], {}),
    # --- a claim by the Houthi military spokesman, 27 May 2024
    (REGIONAL, 54, "2024-05-27 15:00", "saree-claim",
     "Houthi military spokesman Yahya Saree said in a televised statement that the group had targeted a "
     "commercial vessel in the Red Sea. The claim could not be independently verified.", {}),
    (GULF, 73, "2024-05-27 15:40", "saree-claim",
     ["قال المتحدث العسكري باسم الحوثيين العميد يحيى سريع في بيان متلفز إن قواته استهدفت سفينة تجارية في "
      "البحر الأحمر، ولم يتسن التحقق من الادعاء بشكل مستقل. ", ("hashtag", "#البحر_الأحمر")], {}),
    (LEVANT, 35, "2024-05-27 16:05", "saree-claim",
     "أعلن يحيى سريع في بيان أن القوات المسلحة اليمنية استهدفت سفينة في البحر الأحمر، بحسب ما أوردته قناة المسيرة.",
     {}),
    (REGIONAL, 55, "2024-05-29 12:00", None,
     "Correction to our earlier digest: the meeting in Baghdad discussed electricity and gas imports.",
     {"edited": "2024-05-29T16:00:00", "edited_unixtime": "1716987600"}),
    # --- the Israeli army and the Philadelphi corridor, 29 May 2024 (one channel)
    (REGIONAL, 56, "2024-05-29 18:30", None,
     "The Israeli army said on Wednesday it had taken \"operational control\" of the Philadelphi corridor, the "
     "strip of land along the Gaza Strip's border with Egypt.", {}),
    # --- Iran's presidential registration opens, 30 May 2024 (one channel)
    (PERSIAN, 35, "2024-05-30 07:00", None,
     "ثبت‌نام داوطلبان چهاردهمین دوره انتخابات ریاست‌جمهوری امروز پنجشنبه ۱۰ خرداد ۱۴۰۳ در تهران آغاز شد و "
     "پنج روز ادامه دارد. انتخابات روز ۸ تیر برگزار می‌شود.", {}),
    # --- Abdul-Malik al-Houthi's weekly speech, 30 May 2024 (one channel, hours before the strikes)
    (GULF, 74, "2024-05-30 15:00", None,
     "قال زعيم جماعة أنصار الله عبد الملك الحوثي في كلمته الأسبوعية المتلفزة الخميس إن العمليات البحرية "
     "لقواته ستستمر وستتصاعد «كما ونوعا» دعما لغزة.", {}),
    # --- US and British strikes in Yemen, 30 May 2024
    (REGIONAL, 57, "2024-05-30 20:30", "yemen-strikes",
     ["US and British forces struck 13 Houthi targets in Yemen on Thursday, US Central Command said. Britain's "
      "defence ministry said three sites near the Red Sea port of Hodeidah were hit; Houthi-run media also "
      "reported strikes on Sanaa and Taiz. ", ("hashtag", "#Yemen")], {}),
    (GULF, 75, "2024-05-30 21:00", "yemen-strikes",
     ["شنت طائرات أمريكية وبريطانية مساء الخميس سلسلة غارات على العاصمة صنعاء ومحافظتي الحديدة وتعز، بحسب "
      "قناة المسيرة. وقالت القيادة المركزية الأمريكية إن الضربات استهدفت 13 هدفا للحوثيين. ",
      ("hashtag", "#اليمن")], {}),
    (PERSIAN, 36, "2024-05-31 06:30", "yemen-strikes",
     "جنگنده‌های آمریکا و انگلیس شامگاه پنجشنبه ۱۰ خرداد مناطقی در صنعا و استان‌های الحدیده و تعز در یمن را "
     "هدف قرار دادند. به گزارش شبکه المسیره، دست‌کم ۱۶ نفر در این حملات کشته شدند.", {}),
    # --- the claimed attack on the USS Eisenhower, 31 May 2024 (the day after the strikes)
    (GULF, 76, "2024-05-31 12:10", "eisenhower-claim",
     [("bold", "عاجل"),
      " | أعلن المتحدث العسكري العميد يحيى سريع في بيان متلفز استهداف حاملة الطائرات الأمريكية أيزنهاور في "
      "البحر الأحمر بعدد من الصواريخ، وقال إن الغارات الأمريكية البريطانية أوقعت 16 قتيلا و41 جريحا. ولم يتسن "
      "التحقق من الادعاء بشكل مستقل."], {}),
    (LEVANT, 36, "2024-05-31 12:45", "eisenhower-claim",
     "قال المتحدث العسكري باسم القوات المسلحة اليمنية العميد يحيى سريع في بيان متلفز إن قواته استهدفت حاملة "
     "الطائرات الأمريكية أيزنهاور في البحر الأحمر بعدد من الصواريخ، وإن العملية جاءت «ردا على العدوان الأمريكي "
     "البريطاني» على اليمن. ولم يصدر تعليق أمريكي فوري على الادعاء.", {}),
    # --- the Security Council and UNAMI, 31 May 2024 (one channel, with a reply)
    (IRAQ, 24, "2024-05-31 16:00", None,
     "صوّت مجلس الأمن الدولي بالإجماع الجمعة على تمديد ولاية بعثة الأمم المتحدة لمساعدة العراق (يونامي) لفترة "
     "أخيرة مدتها 19 شهرا تنتهي في 31 كانون الأول/ديسمبر 2025، بعد أن طلبت الحكومة العراقية إنهاء عمل البعثة.",
     {}),
    (IRAQ, 25, "2024-05-31 16:05", None,
     ["تفاصيل القرار على موقع الأمم المتحدة: ", ("link", "https://press.un.org/en/2024/sc15714.doc.htm")],
     {"reply_to_message_id": 24}),
    (REGIONAL, 58, "2024-05-31 17:45", "eisenhower-claim",
     "Houthi military spokesman Yahya Saree claimed on Friday that the group had fired missiles at the aircraft "
     "carrier USS Dwight D. Eisenhower in the Red Sea, calling it a response to Thursday's US-British strikes. "
     "A US defence official told reporters the claim was \"false information\".", {}),
    # --- Hamas on President Biden's speech, 31 May 2024 (one channel)
    (LEVANT, 37, "2024-05-31 21:30", None,
     "قالت حركة حماس في بيان مساء الجمعة إنها تنظر «بإيجابية» إلى ما تضمنه خطاب الرئيس الأمريكي جو بايدن من "
     "دعوة إلى وقف دائم لإطلاق النار في غزة وانسحاب القوات الإسرائيلية من القطاع وإعادة الإعمار وتبادل الأسرى.",
     {}),
    # --- a claim by the Islamic Resistance in Iraq about Eilat, 2 June 2024
    (IRAQ, 26, "2024-06-02 05:30", "eilat-claim",
     "أعلنت المقاومة الإسلامية في العراق في بيان فجر الأحد 25 ذو القعدة 1445 أنها استهدفت بالطائرات المسيّرة "
     "هدفا في أم الرشراش (إيلات)، ولم يصدر تعليق إسرائيلي على الادعاء.", {}),
    (PERSIAN, 37, "2024-06-02 07:00", "eilat-claim",
     "مقاومت اسلامی عراق روز یکشنبه اعلام کرد با پهپاد هدفی در ام‌الرشراش (ایلات) را هدف قرار داده است. "
     "مقامات اسرائیلی درباره این ادعا اظهارنظری نکرده‌اند.", {}),
    (REGIONAL, 59, "2024-06-02 08:10", "eilat-claim",
     "The Islamic Resistance in Iraq, an umbrella of Iran-backed Iraqi armed groups, said on Sunday it had "
     "launched drones at a target in Eilat, which its statement called Umm al-Rashrash. Israel did not comment "
     "on the claim.", {}),
    # --- Khamenei's speech on the anniversary of Khomeini's death, 3 June 2024
    (PERSIAN, 38, "2024-06-03 07:40", "khamenei-speech",
     "رهبر انقلاب اسلامی صبح امروز، دوشنبه ۱۴ خرداد ۱۴۰۳، در مراسم سی‌وپنجمین سالگرد رحلت امام خمینی در حرم "
     "ایشان در تهران سخنرانی کرد. آیت‌الله خامنه‌ای گفت: «عملیات طوفان‌الاقصی رژیم صهیونیستی را در مسیر زوال "
     "قرار داد.» ایشان همچنین از خدمات رئیس‌جمهور فقید، ابراهیم رئیسی، قدردانی کرد و مردم را به مشارکت "
     "گسترده در انتخابات فراخواند.", photo(1280, 853)),
    (LEVANT, 38, "2024-06-03 08:50", "khamenei-speech",
     "ألقى المرشد الإيراني علي خامنئي صباح الاثنين 26 ذو القعدة 1445، الموافق 3 حزيران/يونيو 2024، كلمة في "
     "مرقد الإمام الخميني جنوب طهران في الذكرى الخامسة والثلاثين لرحيله، وقال إن عملية طوفان الأقصى «وضعت "
     "الكيان الصهيوني على طريق الزوال». وأشاد خامنئي بالرئيس الراحل إبراهيم رئيسي.", {}),
    (REGIONAL, 60, "2024-06-03 09:00", "khamenei-speech",
     "Iran's Supreme Leader Ali Khamenei said in a speech at the mausoleum of Ruhollah Khomeini in southern "
     "Tehran, on the 35th anniversary of Khomeini's death, that Operation Al-Aqsa Flood had \"put the Zionist "
     "regime on the path to dissolution\". He also praised the late president Ebrahim Raisi and called for a "
     "high turnout in the June 28 election.", {}),
    (IRAQ, 27, "2024-06-03 09:20", "khamenei-speech",
     "قال المرشد الإيراني علي خامنئي في كلمة ألقاها بمرقد الإمام الخميني في طهران بمناسبة ذكرى رحيله إن "
     "عملية طوفان الأقصى «وضعت الكيان الصهيوني على طريق الزوال»، داعيا إلى مشاركة واسعة في الانتخابات "
     "الرئاسية المقبلة.", {}),
    # --- wildfires near Kiryat Shmona, 3 June 2024 (one channel)
    (LEVANT, 39, "2024-06-03 12:00", None,
     "اندلعت حرائق واسعة الاثنين في محيط مدينة كريات شمونة شمال إسرائيل إثر سقوط صواريخ أُطلقت من جنوب لبنان، "
     "بحسب وسائل إعلام إسرائيلية.", {}),
    # --- Ghalibaf registers as a candidate, 3 June 2024 (one channel)
    (PERSIAN, 39, "2024-06-03 13:00", None,
     "محمدباقر قالیباف، رئیس مجلس شورای اسلامی، روز دوشنبه برای شرکت در انتخابات ریاست‌جمهوری در وزارت کشور "
     "ثبت‌نام کرد.", {}),
    # --- Iran's acting foreign minister meets Nasrallah in Beirut, 4 June 2024
    #     (the other meeting of an Iranian official with the "axis" leaders: another city, 12 days later)
    (LEVANT, 40, "2024-06-04 11:30", "beirut-meeting",
     "استقبل الأمين العام لحزب الله السيد حسن نصر الله في بيروت وزير الخارجية الإيراني بالوكالة علي باقري كني "
     "والوفد المرافق له، بحضور السفير الإيراني في لبنان. وقال بيان صادر عن الحزب إن اللقاء استعرض «آخر "
     "التطورات السياسية والأمنية في المنطقة، ولا سيما في جبهتي غزة ولبنان».", photo(1280, 720)),
    (PERSIAN, 40, "2024-06-04 12:30", "beirut-meeting",
     "علی باقری کنی، سرپرست وزارت امور خارجه، روز سه‌شنبه در بیروت با سید حسن نصرالله، دبیرکل حزب‌الله لبنان، "
     "دیدار کرد. به گزارش رسانه‌های لبنانی، دو طرف درباره آخرین تحولات سیاسی و امنیتی منطقه به‌ویژه در "
     "جبهه‌های غزه و لبنان گفت‌وگو کردند.", {}),
    (GULF, 77, "2024-06-04 13:00", "beirut-meeting",
     "Iran's acting foreign minister Ali Bagheri Kani met Hezbollah leader Hassan Nasrallah in Beirut on Tuesday, "
     "a day after arriving on his first foreign trip since taking office. A Hezbollah statement said the two "
     "reviewed \"the latest political and security developments in the region, especially on the Gaza and "
     "Lebanon fronts\".", {}),
    # --- the joint claim about Haifa port, 6 June 2024
    (GULF, 78, "2024-06-06 13:40", "haifa-claim",
     "قال العميد يحيى سريع في بيان إن القوات المسلحة اليمنية نفذت بالاشتراك مع المقاومة الإسلامية في العراق "
     "عمليتين استهدفتا سفنا في ميناء حيفا، مضيفا أن العمليتين جاءتا «ردا على المجازر في رفح». ولم يعلق الجيش "
     "الإسرائيلي على البيان.", {}),
    (IRAQ, 28, "2024-06-06 14:10", "haifa-claim",
     "أعلن المتحدث العسكري باسم القوات المسلحة اليمنية يحيى سريع تنفيذ عمليتين مشتركتين مع المقاومة الإسلامية "
     "في العراق استهدفتا سفنا في ميناء حيفا بعدد من الطائرات المسيّرة. ولم يعلق الجيش الإسرائيلي على البيان.",
     {}),
    (REGIONAL, 61, "2024-06-06 15:00", "haifa-claim",
     "Yemen's Houthis said on Thursday they had carried out two joint operations with the Islamic Resistance in "
     "Iraq against ships in Israel's Haifa port. Spokesman Yahya Saree said in a televised statement that drones "
     "were used. The Israeli army did not comment.", {}),
    # --- the Guardian Council approves six presidential candidates, 9 June 2024
    (PERSIAN, 41, "2024-06-09 12:30", "candidates",
     ["شورای نگهبان صلاحیت شش داوطلب چهاردهمین دوره انتخابات ریاست‌جمهوری را تأیید کرد، از جمله محمدباقر "
      "قالیباف، رئیس مجلس، و مسعود پزشکیان، نماینده تبریز. ستاد انتخابات کشور فهرست نامزدها را روز یکشنبه "
      "۲۰ خرداد ۱۴۰۳ اعلام کرد و انتخابات جمعه ۸ تیر ۱۴۰۳ برگزار می‌شود. ",
      ("hashtag", "#انتخابات_ریاست_جمهوری")], {}),
    (IRAQ, 29, "2024-06-09 13:30", "candidates",
     "أعلنت السلطات الإيرانية الأحد أسماء ستة مرشحين صادق مجلس صيانة الدستور على أهليتهم لخوض الانتخابات "
     "الرئاسية المبكرة المقررة في 28 حزيران/يونيو 2024، بينهم رئيس البرلمان محمد باقر قاليباف والنائب مسعود "
     "بزشكيان.", {}),
    (REGIONAL, 62, "2024-06-09 14:00", "candidates",
     "Iran's Guardian Council approved six candidates for the June 28 presidential election, state TV said on "
     "Sunday. They include parliament speaker Mohammad Bagher Ghalibaf and reformist lawmaker Masoud Pezeshkian.",
     {}),
]
SERVICE: list[tuple[int, int, str, dict[str, object]]] = [
    (REGIONAL, 1, "2024-05-01 08:00", {"action": "create_channel", "title": "Sample Regional Monitor"}),
    (LEVANT, 31, "2024-05-16 14:05", {"action": "pin_message", "message_id": 30}),
]
TITLES = {
    "manama-summit": "Arab League summit in Manama calls for UN peacekeepers in the Palestinian territories, "
                     "16 May 2024",
    "crash": "Reports that President Raisi and Foreign Minister Amir-Abdollahian died in a helicopter crash",
    "funeral": "Funeral procession for President Raisi in Tehran, 22 May 2024",
    "tehran-meeting": "Salami and Qaani meet faction representatives in Tehran, 22 May 2024",
    "nasrallah-speech": "Nasrallah's televised speech on the anniversary of the 2000 withdrawal, 24 May 2024",
    "saree-claim": "Houthi military spokesman's claim about a vessel in the Red Sea, 27 May 2024",
    "yemen-strikes": "US and British strikes on Houthi targets in Sanaa, Hodeidah and Taiz, 30 May 2024",
    "eisenhower-claim": "Houthi spokesman claims an attack on the carrier USS Eisenhower in the Red Sea, 31 May 2024",
    "eilat-claim": "Islamic Resistance in Iraq claims a drone attack on Eilat (Umm al-Rashrash), 2 June 2024",
    "khamenei-speech": "Khamenei's speech on the 35th anniversary of Khomeini's death, Tehran, 3 June 2024",
    "beirut-meeting": "Acting foreign minister Bagheri Kani meets Nasrallah in Beirut, 4 June 2024",
    "haifa-claim": "Houthis and the Islamic Resistance in Iraq claim joint operations against ships in Haifa, "
                   "6 June 2024",
    "candidates": "Iran's Guardian Council approves six presidential candidates, 9 June 2024",
}
LANGUAGE = {LEVANT: "ar", IRAQ: "ar", PERSIAN: "fa", REGIONAL: "en", GULF: "ar/en"}
PREAMBLE = """\
# Ground truth: the events of the sample and the posts that report each

Generated by `scripts/make_samples.py`; tests read this file. Each `##` section is one event; each line
under it is `channel id/message id` of a post that reports it. Posts listed under no event are
single-channel items that clustering must keep apart. Times are UTC; the exports' `date` is UTC+3.

Pairs that look alike on purpose (a clusterer must use time and entities, not text similarity alone):
the Tehran meeting of 22 May and the Beirut meeting of 4 June (an Iranian official meets "axis"
leaders; other city, other people, 12 days apart); the strikes in Yemen of 30 May and the carrier
claim of 31 May (same country, sea and group, under a day apart); the vessel claim of 27 May and the
carrier claim of 31 May (same spokesman and sea); the Eilat claim of 2 June and the Haifa claim of
6 June (same Iraqi group, another city); Nasrallah's speech of 24 May and Khamenei's of 3 June; the
funeral in Tehran (22 May) and the burial in Mashhad (23 May, one channel); Khamenei's speech and
Ghalibaf's registration in the same channel on 3 June.
"""


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


def _check(messages: dict[int, list[dict[str, object]]]) -> None:
    """Ids rise with time in every channel; a forward repeats its source's text; a reply's target exists."""
    for cid, items in messages.items():
        ordered = sorted(items, key=lambda m: int(str(m["id"])))
        stamps = [int(str(m["date_unixtime"])) for m in ordered]
        assert stamps == sorted(stamps), f"{cid}: message ids do not rise with time"
        ids = {m["id"] for m in items}
        assert len(ids) == len(items), f"{cid}: duplicate message id"
        for m in items:
            if "reply_to_message_id" in m:
                assert m["reply_to_message_id"] in ids, f"{cid}/{m['id']}: reply to a missing message"
            if m.get("action") == "pin_message":
                assert m["message_id"] in ids, f"{cid}/{m['id']}: pins a missing message"
    names = {name: cid for cid, (name, _) in CHANNELS.items()}
    for items in messages.values():
        for m in items:
            if m.get("forwarded_from"):
                source = messages[names[str(m["forwarded_from"])]]
                assert any(s["text"] == m["text"] and int(str(s["date_unixtime"])) <= int(str(m["date_unixtime"]))
                           for s in source), \
                    f"{m['id']}: forward without its source"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    messages: dict[int, list[dict[str, object]]] = {cid: [] for cid in CHANNELS}
    for cid, mid, utc, extra in SERVICE:
        local, unix = _times(utc)
        name = CHANNELS[cid][0]
        messages[cid].append({"id": mid, "type": "service", "date": local, "date_unixtime": unix, "actor": name,
                              "actor_id": f"channel{cid}", **extra, "text": "", "text_entities": []})
    events: dict[str, list[str]] = {key: [] for key in TITLES}
    for cid, mid, utc, event, parts, extra in POSTS:
        local, unix = _times(utc)
        text, entities = _text(parts)
        messages[cid].append({"id": mid, "type": "message", "date": local, "date_unixtime": unix,
                              "from": CHANNELS[cid][0], "from_id": f"channel{cid}", **extra,
                              "text": text, "text_entities": entities})
        if event:
            events[event].append(f"{cid}/{mid} ({CHANNELS[cid][0]}, {LANGUAGE[cid]}, {utc} UTC)")
    _check(messages)
    for cid, (name, folder) in CHANNELS.items():
        path = out / folder / "result.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(messages[cid], key=lambda m: int(str(m["id"])))
        path.write_text(json.dumps({"name": name, "type": "public_channel", "id": cid, "messages": ordered},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    lines = [PREAMBLE]
    for event, members in events.items():
        assert 2 <= len({m.split("/")[0] for m in members}) <= 4, f"{event}: needs 2 to 4 channels"
        lines += [f"## {TITLES[event]}", ""] + [f"- {m}" for m in members] + [""]
    (out / "EVENTS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
