"""An invented WordPress news site whose theme prints its slogan at the top of every post, a signature
and a comment notice under it, then "من نفس القسم" and two headlines (tests/test_furniture.py). The
stories are written here."""

from __future__ import annotations

SITE = "درعة بريس"
SLOGAN = "صوت الواحات والجنوب الشرقي"
SIGNATURE = "تابعوا آخر أخبار الجهة على صفحتنا الرسمية وقناتنا"
NOTICE = "التعليقات المنشورة تعبر عن رأي أصحابها ولا تلزم الجريدة"
SAME_SECTION = "من نفس القسم"

PLACES = ["زاكورة", "ورزازات", "تنغير", "الرشيدية", "ميدلت", "أرفود", "الريصاني", "بومالن دادس", "قلعة مكونة", "تنجداد"]
PRODUCTS = ["التمور", "الورد العطري", "الحناء", "الزعفران", "العسل", "الكسكس", "الزرابي", "الفخار", "اللوز", "التين"]
WORK = ["التعبئة", "التسويق", "التخزين", "التجفيف", "التصدير", "التكوين", "التلفيف", "النقل", "العرض", "البيع"]


def story(index: int) -> tuple[str, list[str]]:
    """A title and three paragraphs, different for each index (0–9 and beyond)."""
    place, product, work = PLACES[index % 10], PRODUCTS[(index * 3) % 10], WORK[(index * 7) % 10]
    members = 12 + index * 3
    title = f"{place}: تعاونية {product} تطلق مشروعا جديدا في {work} رقم {index + 1}"
    paragraphs = [
        f"أعلنت تعاونية نسائية بجماعة {place} عن إطلاق مشروع جديد يهم {work} منتوج {product}، بمشاركة {members} امرأة"
        f" من الدواوير المجاورة، وذلك بدعم من المبادرة الوطنية للتنمية البشرية خلال الموسم رقم {index + 1}.",
        f"وأوضحت رئيسة التعاونية أن المشروع سيمكن العضوات من تحسين مداخيلهن، بعدما ظل {product} يباع بأثمنة زهيدة"
        f" للوسطاء في أسواق {place} طيلة {index + 2} سنوات.",
        f"وتأمل التعاونية في المشاركة في المعرض الجهوي المقبل، حيث تعرض {product} إلى جانب {members // 2} تعاونية أخرى"
        f" من مختلف أقاليم الجهة.",
    ]
    return title, paragraphs


def page(index: int, slogan: str = SLOGAN) -> bytes:
    title, paragraphs = story(index)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    others = "".join(f"<p><a href='/{i}'>{story(i)[0]}</a></p>" for i in (index + 11, index + 12))
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title} - {SITE}</title><meta property="og:site_name" content="{SITE}"></head>
<body><main id="main"><article class="post type-post">
<h1 class="entry-title">{title}</h1>
<div class="entry-content"><p class="tagline">{slogan}</p>{body}<p>{SIGNATURE}</p><p>{NOTICE}</p>
<p><strong>{SAME_SECTION}</strong></p>{others}</div>
</article></main></body></html>""".encode()
