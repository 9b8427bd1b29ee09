import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

// The teleconsultation call: WebRTC between the two browsers, media peer to peer. The platform only relays the SDP
// offer/answer and ICE candidates (POST/GET /v1/telemedicine/consultations/{id}/signals), authorised by the
// consultation's short-lived join token, which this module renews before it expires. The caller (the patient's app)
// makes the offer; the callee (the doctor) answers the newest offer it finds, so the doctor may join before or after
// the patient, and a doctor who joins again gets a fresh offer. Loaded only when a call starts (import()).
const base = document.documentElement.dataset.api;
const FAST_POLL_MS = 700;
const SLOW_POLL_MS = 2500;

/**
 * Starts a call in `container`.
 * consultationId: the appointment id; mode: 'video' | 'audio' | 'chat'; caller: true for the side that offers;
 * joinToken: async () => ({ token, expiresAt, iceServers }) (fetched again shortly before expiresAt);
 * peerName: who is on the other side, for labels. Answers { hangUp }.
 */
export async function startCall(container, { consultationId, mode, caller, joinToken, peerName }) {
  const path = `${base}/v1/telemedicine/consultations/${encodeURIComponent(consultationId)}/signals`;
  let pass = null;
  const currentPass = async () => {
    if (!pass || new Date(pass.expiresAt).getTime() - Date.now() < 60_000) pass = await joinToken();
    return pass;
  };

  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'call-status' }, t('call.starting'));
  const remoteVideo = mode === 'video' ? h('video', { class: 'remote', autoplay: true, playsinline: true, 'aria-label': t('call.remoteVideo', { name: peerName }) }) : null;
  const remoteAudio = mode === 'audio' ? h('audio', { autoplay: true, 'aria-label': t('call.remoteAudio', { name: peerName }) }) : null;
  const localVideo = mode === 'video' ? h('video', { class: 'local', autoplay: true, playsinline: true, muted: true, 'aria-label': t('call.localVideo') }) : null;
  const chatLog = mode === 'chat' ? h('ol', { class: 'chat-log plain', 'aria-live': 'polite', 'aria-label': t('call.chatLog') }) : null;
  const chatInput = mode === 'chat' ? h('input', { id: `chat-${consultationId}`, type: 'text', maxlength: 1000, autocomplete: 'off' }) : null;
  const chatForm = mode === 'chat' ? h('form', { class: 'chat-form' },
    h('label', { for: chatInput.id }, t('call.message')), chatInput, h('button', { type: 'submit' }, t('call.send'))) : null;
  const muteButton = mode !== 'chat' ? h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', 'data-action': 'mute' }, t('call.mute')) : null;
  const cameraButton = mode === 'video' ? h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', 'data-action': 'camera' }, t('call.cameraOff')) : null;
  const hangUpButton = h('button', { type: 'button', class: 'danger', 'data-action': 'hang-up' }, t('call.hangUp'));
  const section = h('section', { class: 'call', 'data-mode': mode, 'data-connection': 'new', 'aria-label': t('call.with', { name: peerName }) },
    status,
    mode === 'video' ? h('div', { class: 'videos' }, remoteVideo, localVideo) : remoteAudio,
    chatLog, chatForm,
    h('div', { class: 'actions call-controls' }, muteButton, cameraButton, hangUpButton));
  replace(container, section);

  let local = null;
  try {
    if (mode !== 'chat') {
      local = await navigator.mediaDevices.getUserMedia(mode === 'video' ? { audio: true, video: { width: 640, height: 480 } } : { audio: true });
      if (localVideo) { localVideo.muted = true; localVideo.srcObject = local; }
    }
  } catch (error) {
    status.textContent = t('call.noDevices', { message: error.message });
    section.dataset.connection = 'failed';
    return { hangUp: () => {} };
  }

  let pc = null;
  let channel = null;
  let cursor = 0;
  let ended = false;
  let timer = null;
  let pendingCandidates = [];

  // One signal at a time, in order: a candidate must never be numbered before the offer or answer it belongs to
  // (the callee drops what precedes the newest offer).
  let outbox = Promise.resolve();
  const send = (type, payload = '') => {
    const sent = outbox.then(() => post(type, payload));
    outbox = sent.catch(() => {});
    return sent;
  };
  const post = async (type, payload) => {
    const { token } = await currentPass();
    const response = await fetch(path, {
      method: 'POST', credentials: 'omit',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ type, payload }),
    });
    if (!response.ok) throw new Error(`signal ${type}: HTTP ${response.status}`);
  };

  const show = state => {
    section.dataset.connection = state;
    const key = { new: 'call.waiting', connecting: 'call.connecting', connected: 'call.connected', disconnected: 'call.reconnecting', failed: 'call.failed', closed: 'call.ended' }[state];
    if (key) status.textContent = t(key, { name: peerName });
  };

  const addChat = (who, text) => chatLog?.append(h('li', { class: who === 'me' ? 'mine' : 'theirs' }, h('span', { class: 'muted small' }, who === 'me' ? t('call.me') : peerName), ' ', text));
  const useChannel = c => {
    channel = c;
    channel.onmessage = event => addChat('them', String(event.data).slice(0, 1000));
  };

  const newConnection = async () => {
    pc?.close();
    pendingCandidates = [];
    pc = new RTCPeerConnection({ iceServers: (await currentPass()).iceServers ?? [] });
    local?.getTracks().forEach(track => pc.addTrack(track, local));
    pc.onicecandidate = event => { if (event.candidate) send('candidate', JSON.stringify(event.candidate.toJSON())).catch(() => {}); };
    pc.ontrack = event => {
      const target = remoteVideo ?? remoteAudio;
      if (target && target.srcObject !== event.streams[0]) target.srcObject = event.streams[0];
    };
    pc.onconnectionstatechange = () => { if (!ended) show(pc.connectionState); };
    pc.ondatachannel = event => useChannel(event.channel);
    if (caller) useChannel(pc.createDataChannel('chat'));
    show('new');
  };

  const offer = async () => {
    await newConnection();
    await pc.setLocalDescription(await pc.createOffer());
    await send('offer', JSON.stringify(pc.localDescription.toJSON()));
  };

  const handle = async signal => {
    const data = signal.payload ? JSON.parse(signal.payload) : null;
    if (signal.type === 'bye') {
      if (caller) { await offer(); status.textContent = t('call.peerLeft', { name: peerName }); }
      else { pc?.close(); pc = null; show('new'); status.textContent = t('call.peerLeft', { name: peerName }); }
    } else if (signal.type === 'offer' && !caller) {
      await newConnection();
      await pc.setRemoteDescription(data);
      await pc.setLocalDescription(await pc.createAnswer());
      await send('answer', JSON.stringify(pc.localDescription.toJSON()));
      for (const candidate of pendingCandidates.splice(0)) await pc.addIceCandidate(candidate);
    } else if (signal.type === 'answer' && caller) {
      // An answer to an offer already answered is the doctor joining again: offer afresh.
      if (pc.signalingState !== 'have-local-offer') { await offer(); return; }
      await pc.setRemoteDescription(data);
      for (const candidate of pendingCandidates.splice(0)) await pc.addIceCandidate(candidate);
    } else if (signal.type === 'candidate' && pc) {
      if (pc.remoteDescription) await pc.addIceCandidate(data).catch(() => {});
      else pendingCandidates.push(data);
    }
  };

  const read = async () => {
    const { token } = await currentPass();
    const response = await fetch(`${path}?after=${cursor}`, { credentials: 'omit', headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    if (!response.ok) throw new Error(`signals: HTTP ${response.status}`);
    return response.json();
  };

  const poll = async () => {
    if (ended) return;
    try {
      const page = await read();
      let signals = page.signals;
      // The callee acts on the newest offer and what followed it: older ones belong to calls already given up.
      const lastOffer = caller ? -1 : signals.map(s => s.type).lastIndexOf('offer');
      if (lastOffer > 0) signals = signals.slice(lastOffer);
      for (const signal of signals) await handle(signal);
      cursor = page.cursor;
    } catch (error) {
      status.textContent = t('call.trouble', { message: error.message });
    }
    if (!ended) timer = setTimeout(poll, pc?.connectionState === 'connected' ? SLOW_POLL_MS : FAST_POLL_MS);
  };

  const hangUp = async () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    pc?.close();
    local?.getTracks().forEach(track => track.stop());
    section.dataset.connection = 'closed';
    status.textContent = t('call.ended');
    for (const button of [muteButton, cameraButton, hangUpButton]) if (button) button.disabled = true;
    try { await send('bye'); } catch { /* the other side sees the connection drop */ }
  };

  muteButton?.addEventListener('click', () => {
    const muted = muteButton.getAttribute('aria-pressed') !== 'true';
    local?.getAudioTracks().forEach(track => { track.enabled = !muted; });
    muteButton.setAttribute('aria-pressed', String(muted));
    muteButton.textContent = muted ? t('call.unmute') : t('call.mute');
  });
  cameraButton?.addEventListener('click', () => {
    const off = cameraButton.getAttribute('aria-pressed') !== 'true';
    local?.getVideoTracks().forEach(track => { track.enabled = !off; });
    cameraButton.setAttribute('aria-pressed', String(off));
    cameraButton.textContent = off ? t('call.cameraOn') : t('call.cameraOff');
  });
  hangUpButton.addEventListener('click', hangUp);
  chatForm?.addEventListener('submit', event => {
    event.preventDefault();
    const text = chatInput.value.trim();
    if (!text || channel?.readyState !== 'open') return;
    channel.send(text);
    addChat('me', text);
    chatInput.value = '';
  });

  if (caller) {
    // Skip what an earlier attempt left (its answers and candidates are for a connection that no longer exists).
    try {
      for (let previous = -1; previous !== cursor;) {
        previous = cursor;
        cursor = (await read()).cursor;
      }
      await offer();
    } catch (error) {
      status.textContent = t('call.trouble', { message: error.message });
    }
  } else {
    show('new');
  }
  poll();
  hangUpButton.focus();
  return { hangUp };
}
