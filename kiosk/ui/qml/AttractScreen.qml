import QtQuick
import QtQuick.Layouts
import Kiosk

// Shown between citizens: bilingual on purpose (nobody has chosen a language yet), the whole
// screen is the start button, and a slow "breathing" ring says "this is alive, touch me".
Rectangle {
    id: screen
    objectName: "attractScreen"
    color: Theme.blue
    // Landscape panels are 1080 px tall: the same content, scaled down to fit.
    readonly property bool compact: height < 1400

    gradient: Gradient {
        GradientStop { position: 0.0; color: Theme.blue }
        GradientStop { position: 1.0; color: Theme.blueDark }
    }

    MouseArea {
        objectName: "attractArea"
        anchors.fill: parent
        onClicked: Session.start()
    }

    // The technician's way in: five quick taps on this unmarked top-right corner (see
    // docs/devices.md). Invisible and not a touch target for citizens; it only counts taps.
    MouseArea {
        objectName: "techCorner"
        anchors { top: parent.top; right: parent.right }
        width: 140; height: 140
        z: 5
        onPressed: Technician.secretTap()   // every press counts, double-taps too
    }

    Rectangle {   // saffron band at the top, white band under it: a quiet national touch
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 18
        color: Theme.saffron
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: screen.compact ? 16 : 36

        Text {
            textFormat: Text.PlainText
            // Hindi first, English under it, whatever the default language is.
            text: Session.language === "hi"
                  ? Session.centreName + "\n" + Session.centreNameOther
                  : Session.centreNameOther + "\n" + Session.centreName
            color: "#DCE6F7"
            font.pixelSize: Theme.bodySize
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            text: Session.translate("Welcome", "hi")
            color: "white"
            font.pixelSize: screen.compact ? 104 : 128
            font.weight: Font.Bold
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            text: "Welcome"
            color: "white"
            font.pixelSize: screen.compact ? 72 : 96
            font.weight: Font.DemiBold
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
        }

        Item {
            Layout.fillWidth: true
            Layout.preferredHeight: screen.compact ? 250 : 340
            Rectangle {
                id: ring
                anchors.centerIn: parent
                width: screen.compact ? 230 : 300; height: width; radius: width / 2
                color: "transparent"
                border.color: Theme.saffron
                border.width: 10
                scale: 0.9
                // One pulse when the screen appears and every 30 s, not a loop: an endless
                // animation redraws the whole window at 60 fps all day (measured: 7 % of a core
                // offscreen, 160 % with software GL); between pulses nothing is drawn at all.
                SequentialAnimation {
                    id: pulse
                    NumberAnimation { target: ring; property: "scale"; to: 1.08; duration: 900; easing.type: Easing.InOutSine }
                    NumberAnimation { target: ring; property: "scale"; to: 0.9; duration: 900; easing.type: Easing.InOutSine }
                }
                Timer {
                    interval: 30000
                    repeat: true
                    running: screen.visible
                    triggeredOnStart: true
                    onTriggered: pulse.restart()
                }
            }
            Rectangle {
                anchors.centerIn: parent
                width: screen.compact ? 170 : 220; height: width; radius: width / 2
                color: Theme.saffron
                Canvas {   // a touch "ripple": a fingertip dot and two rings around it
                    anchors.centerIn: parent
                    width: 140; height: 140
                    onPaint: {
                        var c = getContext("2d"); c.reset();
                        c.strokeStyle = "white"; c.fillStyle = "white"; c.lineWidth = 8;
                        c.beginPath(); c.arc(70, 70, 18, 0, 2 * Math.PI); c.fill();
                        c.beginPath(); c.arc(70, 70, 40, 0, 2 * Math.PI); c.stroke();
                        c.globalAlpha = 0.55;
                        c.beginPath(); c.arc(70, 70, 62, 0, 2 * Math.PI); c.stroke();
                    }
                }
            }
        }

        // One tap starts in a language: each button written first in its own script, so a
        // citizen finds theirs without reading the other. A tap anywhere else on the screen
        // still asks for the language (LanguageScreen), so nobody is started in one by chance.
        GridLayout {
            objectName: "startButtons"
            columns: screen.width > screen.height ? 2 : 1
            columnSpacing: 40
            rowSpacing: screen.compact ? 20 : 32
            Layout.alignment: Qt.AlignHCenter
            KioskButton {
                objectName: "startHi"
                kind: "saffron"
                text: Session.translate("Start in Hindi", "hi")
                subText: "Start in Hindi"
                textSize: Theme.headingSize
                Layout.preferredWidth: Math.min(screen.width - 2 * Theme.margin, 760)
                Layout.preferredHeight: screen.compact ? 150 : 180
                onClicked: Session.chooseLanguage("hi")
            }
            KioskButton {
                objectName: "startEn"
                kind: "saffron"
                text: "Start in English"
                subText: Session.translate("Start in English", "hi")
                textSize: Theme.headingSize
                Layout.preferredWidth: Math.min(screen.width - 2 * Theme.margin, 760)
                Layout.preferredHeight: screen.compact ? 150 : 180
                onClicked: Session.chooseLanguage("en")
            }
        }
        Text {
            textFormat: Text.PlainText
            text: Session.translate("Get your queue token here", "hi") + "  •  Get your queue token here"
            color: "#DCE6F7"
            font.pixelSize: Theme.bodySize
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
