"""Pages of ``trading``, mounted under ``trading/`` by portal.urls."""

from django.urls import path

from .views import deals, directory, listings, sessions

app_name = "trading"
urlpatterns = [
    path("", listings.listing_list, name="listing_list"),
    path("listings/new/", listings.listing_create, name="listing_create"),
    path("listings/<int:pk>/", listings.listing_detail, name="listing_detail"),
    path("listings/<int:pk>/submit/", listings.listing_submit, name="listing_submit"),
    path("listings/<int:pk>/review/", listings.listing_review, name="listing_review"),
    path("listings/<int:pk>/publish/", listings.listing_publish, name="listing_publish"),
    path("listings/<int:pk>/withdraw/", listings.listing_withdraw, name="listing_withdraw"),
    path("listings/<int:pk>/objections/", listings.objection_lodge, name="objection_lodge"),
    path("listings/<int:pk>/valuation/", listings.income_valuation_create, name="valuation"),
    path("objections/<int:pk>/resolve/", listings.objection_resolve, name="objection_resolve"),
    path("listings/<int:pk>/sessions/new/", sessions.session_open, name="session_open"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/live/", sessions.session_live, name="session_live"),
    path("sessions/<int:pk>/bid/", sessions.bid_place, name="bid_place"),
    path("sessions/<int:pk>/deposits/", sessions.deposit_record, name="deposit_record"),
    path("sessions/<int:pk>/<str:action>/", sessions.session_action, name="session_action"),
    path("deposits/<int:pk>/refund/", sessions.deposit_refund, name="deposit_refund"),
    path("deals/", deals.deal_list, name="deal_list"),
    path("deals/new/", deals.deal_create, name="deal_create"),
    path("deals/<int:pk>/", deals.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/sign/", deals.deal_sign, name="deal_sign"),
    path("deals/<int:pk>/record/", deals.deal_record, name="deal_record"),
    path("deals/<int:pk>/cancel/", deals.deal_cancel, name="deal_cancel"),
    path("deals/<int:pk>/contract.pdf", deals.deal_contract_pdf, name="deal_contract_pdf"),
    path("deals/<int:pk>/contracts/", deals.deal_contract_upload, name="deal_contract_upload"),
    path("deals/<int:pk>/evidence/", deals.deal_evidence_add, name="deal_evidence"),
    path("deals/<int:pk>/milestones/", deals.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/<str:action>/", deals.milestone_action, name="milestone_action"),
    path("brokers/", directory.broker_list, name="broker_list"),
    path("brokers/<int:pk>/", directory.broker_detail, name="broker_detail"),
    path("financing/", directory.institution_list, name="institution_list"),
    path("financing/request/", directory.financing_request, name="financing_request"),
    path("policies/", directory.policy_list, name="policy_list"),
]
