pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// Delivery and review: every answer (Aadhaar masked), how the certificate reaches the citizen,
// the fee in ₹, the date the Act guarantees, and a consent box; Submit stays disabled until the
// box is ticked. The answers scroll; the decision stays in view (below them in portrait, to
// their right in landscape).
Item {
    id: page
    objectName: "applyReviewPage"
    property bool landscape: false

    component SectionCard: Rectangle {
        id: card
        property var section: ({})
        radius: Theme.radius
        color: Theme.card
        border.color: Theme.border
        border.width: 2
        implicitHeight: sectionCol.implicitHeight + 36
        ColumnLayout {
            id: sectionCol
            anchors { left: parent.left; right: parent.right; top: parent.top
                      leftMargin: 24; rightMargin: 20; topMargin: 16 }
            spacing: 6
            RowLayout {
                Layout.fillWidth: true
                spacing: 16
                Text {
                    textFormat: Text.PlainText
                    text: card.section.title
                    color: Theme.blue
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.Bold
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                // One tap to the step to fix; its Next comes straight back here.
                KioskButton {
                    objectName: "edit_" + card.section.key
                    visible: !Apply.saved
                    kind: "secondary"
                    text: qsTr("Edit")
                    textSize: Theme.smallSize
                    Layout.alignment: Qt.AlignTop
                    onClicked: Apply.editStep(card.section.key)
                }
            }
            GridLayout {
                columns: 2
                columnSpacing: 20
                rowSpacing: 4
                Layout.fillWidth: true
                Repeater {
                    model: card.section.rows
                    delegate: Text {
                        textFormat: Text.PlainText
                        required property var modelData
                        required property int index
                        // label, value, label, value … flowing through the two columns
                        objectName: "reviewLabel_" + modelData.key
                        text: modelData.label
                        color: Theme.muted
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                        Layout.preferredWidth: 4
                        Layout.row: index
                        Layout.column: 0
                    }
                }
                Repeater {
                    model: card.section.rows
                    delegate: Text {
                        textFormat: Text.PlainText
                        required property var modelData
                        required property int index
                        objectName: "review_" + modelData.key
                        text: modelData.value
                        color: Theme.text
                        font.pixelSize: Theme.smallSize
                        font.weight: Font.DemiBold
                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                        Layout.fillWidth: true
                        Layout.preferredWidth: 5
                        Layout.row: index
                        Layout.column: 1
                    }
                }
            }
        }
    }

    component Decision: ColumnLayout {
        id: decision
        property bool sideBySide: false
        spacing: 16
        Text {
            textFormat: Text.PlainText
            text: qsTr("How do you want to receive the certificate?")
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.weight: Font.Bold
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        GridLayout {
            columns: decision.sideBySide ? 2 : 1
            columnSpacing: 16
            rowSpacing: 16
            Layout.fillWidth: true
            Repeater {
                model: Apply.deliveryOptions
                ApplyToggle {
                    required property var modelData
                    objectName: "delivery_" + modelData.value
                    text: modelData.label
                    trailing: modelData.fee
                    checked: modelData.selected
                    enabled: !Apply.saved
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    onClicked: Apply.chooseDelivery(modelData.value)
                }
            }
        }
        Rectangle {
            objectName: "feeCard"
            Layout.fillWidth: true
            Layout.topMargin: 4
            Layout.preferredHeight: feeCol.implicitHeight + 28
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.border
            border.width: 2
            ColumnLayout {
                id: feeCol
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                          leftMargin: 24; rightMargin: 24 }
                spacing: 2
                Repeater {
                    model: Apply.feeLines
                    RowLayout {
                        id: feeRow
                        required property var modelData
                        Layout.fillWidth: true
                        Text {
                            textFormat: Text.PlainText
                            text: feeRow.modelData.label
                            color: Theme.muted
                            font.pixelSize: Theme.smallSize
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: feeRow.modelData.amount
                            color: Theme.text
                            font.pixelSize: Theme.smallSize
                        }
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    Text {
                        textFormat: Text.PlainText
                        text: qsTr("Total fee")
                        color: Theme.text
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.Bold
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "feeTotal"
                        text: Apply.feeTotal
                        color: Theme.text
                        font.pixelSize: Theme.largeSize
                        font.weight: Font.Bold
                    }
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "dueDate"
                    text: qsTr("You will get it by %1").arg(Apply.dueDateText)
                    color: Theme.green
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.Bold
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                    Layout.topMargin: 6
                }
            }
        }
        ApplyToggle {
            objectName: "consentCheck"
            visible: !Apply.saved
            square: true
            text: qsTr("The information I gave is true. I know that false information is an offence.")
            textSize: Theme.smallSize
            checked: Apply.consent
            Layout.fillWidth: true
            onClicked: Apply.setConsent(!Apply.consent)
        }
    }

    GridLayout {
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: nav.top
                  topMargin: 20; bottomMargin: 20 }
        columns: page.landscape ? 2 : 1
        columnSpacing: Theme.gap
        rowSpacing: 16

        // The answers scroll on their own; the decision (delivery, fee, consent) stays in view.
        Flickable {
            id: flick
            objectName: "applyFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: page.landscape ? page.width * 0.55 : page.width
            Layout.maximumWidth: Layout.preferredWidth
            contentHeight: column.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollIndicator.vertical: ScrollIndicator {
                active: true
                visible: flick.contentHeight > flick.height + 1
                contentItem: Rectangle { implicitWidth: 8; radius: 4; color: Theme.muted }
            }
            ColumnLayout {
                id: column
                x: Theme.margin
                width: flick.width - Theme.margin - (page.landscape ? 20 : Theme.margin)
                spacing: 14
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Please check your application")
                    color: Theme.text
                    font.pixelSize: Theme.largeSize
                    font.weight: Font.Bold
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Repeater {
                    model: Apply.reviewSections
                    SectionCard {
                        required property var modelData
                        section: modelData
                        Layout.fillWidth: true
                    }
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "reviewMissingDocs"
                    visible: Apply.missingDocuments.length > 0
                    text: qsTr("Documents to show at the counter: %1").arg(Apply.missingDocuments.join(", "))
                    color: "#7A3A00"
                    font.pixelSize: Theme.smallSize
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
            }
        }

        Decision {
            sideBySide: !page.landscape
            Layout.fillWidth: true
            Layout.fillHeight: false
            Layout.preferredWidth: page.landscape ? page.width * 0.45 : page.width
            Layout.alignment: Qt.AlignTop
            Layout.leftMargin: page.landscape ? 0 : Theme.margin
            Layout.rightMargin: Theme.margin
            Layout.topMargin: page.landscape ? 0 : 8
        }
    }

    ApplyNavBar {
        id: nav
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        // Back from the payment page shows the saved application: on to paying again.
        nextText: Apply.saved ? qsTr("Continue to payment") : qsTr("Submit application")
        nextName: "submitButton"
        nextIcon: "check"
        nextEnabled: Apply.saved || (Apply.consent && !Apply.busy)
        onBackClicked: Apply.back()
        onNextClicked: Apply.submit()
    }
}
