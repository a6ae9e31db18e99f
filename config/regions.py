"""Morocco's twelve regions (2015): their ISO 3166-2:MA codes and names, as data only, so that the command
line's `--region` option reads them without loading the settings' validation. (The places in each region,
which the classifier looks for, are the gazetteer `regions.toml` beside this file.)
"""

REGION_CODES = tuple(f"MA-{n:02d}" for n in range(1, 13))
# Names as digests show them (French, Arabic): the official names of the 2015 regions.
REGION_NAMES = {
    "MA-01": ("Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
    "MA-02": ("L'Oriental", "الشرق"),
    "MA-03": ("Fès-Meknès", "فاس مكناس"),
    "MA-04": ("Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
    "MA-05": ("Béni Mellal-Khénifra", "بني ملال خنيفرة"),
    "MA-06": ("Casablanca-Settat", "الدار البيضاء سطات"),
    "MA-07": ("Marrakech-Safi", "مراكش آسفي"),
    "MA-08": ("Drâa-Tafilalet", "درعة تافيلالت"),
    "MA-09": ("Souss-Massa", "سوس ماسة"),
    "MA-10": ("Guelmim-Oued Noun", "كلميم واد نون"),
    "MA-11": ("Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء"),
    "MA-12": ("Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب"),
}
