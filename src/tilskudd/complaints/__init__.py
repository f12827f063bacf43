"""Complaints (*klage*, forvaltningsloven §§ 28–34): filed by the applicant, prepared by the grantor, decided."""
